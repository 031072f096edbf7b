"""A throwaway Spark cluster from the pyspark wheel: a standalone master, one worker and the
Thrift Server (HiveServer2 protocol, what dbt-spark's `thrift` method speaks), all on
127.0.0.1, with an in-memory catalog and a warehouse folder of their own.

The pyspark wheel carries the jars and `bin/spark-class`/`spark-submit` but not the
`sbin/start-*.sh` scripts, so the daemons are started with spark-class and spark-submit.
SPARK_LOCAL_IP=127.0.0.1 keeps every service on loopback (and starts it ~30 s sooner).
Sized for tiny tables on a small machine (TUNING, JVM_OPTIONS; docs/scaling.md has the
figures): a worker of 2 cores and 2 GB, a 1 GB driver and executor, two shuffle partitions,
no locality wait; expressions interpreted rather than compiled to Java (on tables of a few
thousand rows the compilation costs more than it saves); the JVMs' C1 compiler only, with
the serial garbage collector; the catalog in memory instead of a Derby metastore (the
cluster lives as long as its test; a production cluster has a shared metastore).

    with LocalSpark.start() as spark:
        settings = spark.settings()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.warehouse.engines.local.processes import (
    ServerFailed,
    free_port,
    log_tail,
    port_open,
    wait_for,
)
from pipelines.warehouse.engines.settings import SparkSettings

# Sized for tiny tables on a small machine, where a query costs its planning and scheduling
# far more than its data. Each measured against the previous settings: the dbt build of the
# sample took 240 s of the cluster's CPU time before, 100 s after (docs/scaling.md).
TUNING = {
    "spark.driver.memory": "1g",
    "spark.executor.memory": "1g",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.locality.wait": "0",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.sql.catalogImplementation": "in-memory",
}
# Short-lived JVMs: C1 only (C2 spends its CPU on code that would never run long); the code
# cache then defaults to 48 MB, too small for Spark's ("Out of space in CodeCache").
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m -XX:+UseSerialGC"

JAVA_HOME_CANDIDATES = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-17-openjdk-arm64")


def spark_home() -> Path | None:
    """pyspark's folder: MONITOR_SPARK_HOME, else the pyspark of the Spark environment
    (`.venv-spark`, MONITOR_SPARK_ENV moves it), else SPARK_HOME."""
    from pipelines.settings import REPO_ROOT

    configured = os.environ.get("MONITOR_SPARK_HOME")
    if configured:
        return Path(configured) if (Path(configured) / "bin" / "spark-class").is_file() else None
    env = Path(os.environ.get("MONITOR_SPARK_ENV") or REPO_ROOT / ".venv-spark")
    for candidate in env.glob("lib/python*/site-packages/pyspark"):
        if (candidate / "bin" / "spark-class").is_file():
            return candidate
    fallback = os.environ.get("SPARK_HOME")
    return (
        Path(fallback) if fallback and (Path(fallback) / "bin" / "spark-class").is_file() else None
    )


def java_home() -> str | None:
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    for candidate in JAVA_HOME_CANDIDATES:
        if Path(candidate, "bin", "java").is_file():
            return candidate
    return None if shutil.which("java") is None else ""


@dataclass
class LocalSpark:
    root: Path
    home: Path
    thrift_port: int
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    started_s: float = 0.0
    confs: dict[str, str] = field(default_factory=dict)  # beyond (or instead of) TUNING
    jvm_options: str = JVM_OPTIONS

    @classmethod
    def start(
        cls,
        timeout_s: float = 180,
        confs: dict[str, str] | None = None,
        jvm_options: str = JVM_OPTIONS,
    ) -> LocalSpark:
        home = spark_home()
        if home is None:
            raise ServerFailed("pyspark not found: `make install-spark` creates .venv-spark")
        if java_home() is None:
            raise ServerFailed("no Java runtime (apt-get install openjdk-17-jre-headless)")
        root = Path(tempfile.mkdtemp(prefix="monitor-spark-"))
        spark = cls(
            root=root,
            home=home,
            thrift_port=free_port(),
            confs=dict(confs or {}),
            jvm_options=jvm_options,
        )
        began = time.monotonic()
        try:
            spark._start_all(timeout_s)
        except BaseException:
            spark.stop()
            raise
        spark.started_s = time.monotonic() - began
        return spark

    def _env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "SPARK_HOME": str(self.home),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOCAL_DIRS": str(self.root / "tmp"),
            "SPARK_LOG_DIR": str(self.root / "logs"),
            "SPARK_DAEMON_MEMORY": "512m",
            "SPARK_DAEMON_JAVA_OPTS": self.jvm_options,
            "SPARK_CONF_DIR": str(self.root / "conf"),
        }
        if java_home():
            env["JAVA_HOME"] = java_home()
        env.pop("PYSPARK_PYTHON", None)
        return env

    def _spawn(self, name: str, cmd: list[str]) -> str:
        log = self.root / f"{name}.log"
        handle = open(log, "wb")  # noqa: SIM115 - kept open for the daemon's lifetime
        self.processes[name] = subprocess.Popen(
            cmd,
            cwd=self.root,
            env=self._env(),
            stdin=subprocess.DEVNULL,  # never the caller's (a pytest-xdist worker's is its channel)
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the JVM and children
        )
        return str(log)

    def _start_all(self, timeout_s: float) -> None:
        for folder in ("tmp", "logs", "conf", "warehouse"):
            (self.root / folder).mkdir()
        master_port, master_ui, worker_ui = free_port(), free_port(), free_port()
        spark_class = str(self.home / "bin" / "spark-class")
        log = self._spawn(
            "master",
            [
                spark_class,
                "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1",
                "--port", str(master_port),
                "--webui-port", str(master_ui),
            ],
        )  # fmt: skip
        wait_for(lambda: port_open(master_port), timeout_s, "Spark master", log)
        master = f"spark://127.0.0.1:{master_port}"
        log = self._spawn(
            "worker",
            [
                spark_class,
                "org.apache.spark.deploy.worker.Worker",
                "--host", "127.0.0.1",
                "--cores", "2",
                "--memory", "2g",
                "--work-dir", str(self.root / "work"),
                "--webui-port", str(worker_ui),
                master,
            ],
        )  # fmt: skip
        wait_for(
            lambda: "Successfully registered with master" in log_tail(log, 200),
            timeout_s,
            "Spark worker",
            log,
        )
        confs = {
            **TUNING,
            **self.confs,
            "spark.ui.enabled": "false",
            "spark.master.rest.enabled": "false",
            "spark.sql.warehouse.dir": str(self.root / "warehouse"),
            "spark.sql.session.timeZone": "UTC",
            "spark.driver.extraJavaOptions": self.jvm_options,
            "spark.executor.extraJavaOptions": self.jvm_options,
            "spark.hadoop.hive.server2.thrift.port": str(self.thrift_port),
            "spark.hadoop.hive.server2.thrift.bind.host": "127.0.0.1",
        }
        cmd = [str(self.home / "bin" / "spark-submit"), "--master", master]
        for key, value in confs.items():
            cmd += ["--conf", f"{key}={value}"]
        cmd += [
            "--class",
            "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
            "--name",
            "monitor-thrift",
            "spark-internal",
        ]
        log = self._spawn("thrift", cmd)
        wait_for(
            lambda: (
                "HiveThriftServer2 started" in log_tail(log, 400) and port_open(self.thrift_port)
            ),
            timeout_s,
            "Spark Thrift Server",
            log,
        )

    def settings(self) -> SparkSettings:
        return SparkSettings(
            host="127.0.0.1",
            port=self.thrift_port,
            user="monitor",
            staging_dir=self.root / "staging",
        )

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop the Thrift Server, the worker (and its executors) and the master, in that
        order: SIGTERM to each process group, SIGKILL when it still runs after `grace_s`
        (the JVMs stop in under a second; in a loaded test run each took the whole 30 s this
        waited before); remove the folder."""
        for name in ("thrift", "worker", "master"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=grace_s)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, name: str = "thrift") -> str:
        return log_tail(str(self.root / f"{name}.log"))

    def __enter__(self) -> LocalSpark:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
