"""Local Celery workers for the distributed executor (tests, a single machine).

Each worker is `celery -A dagster_celery.app worker` with one process (concurrency 1),
listening on one queue of the PostgreSQL broker: `dagster` (every step that has no queue of
its own: the warehouse writers, which the `warehouse` pool keeps one at a time anyway) and
`report` (the report, which reads only the published file). The broker and result backend
come from a config module written beside the instance (URLs read from the environment at
import, never written to disk).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.warehouse.distributed.instance import BACKEND_URL_ENV, BROKER_URL_ENV

QUEUES = ("dagster", "report")  # dagster_celery's default queue; the report's op tag

BROKER_POLL_S = 0.2

CONFIG_MODULE = f"""import os

broker_url = os.environ["{BROKER_URL_ENV}"]
result_backend = os.environ["{BACKEND_URL_ENV}"]

# An idle worker polls the broker table, by default once a second: a step would wait up to
# that long to be picked up. (kombu's SQLAlchemy transport hands broker_transport_options to
# create_engine, which refuses polling_interval, hence the class attribute.)
from kombu.transport import sqlalchemy

sqlalchemy.Transport.polling_interval = {BROKER_POLL_S}
"""


@dataclass
class CeleryWorkers:
    folder: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @classmethod
    def start(
        cls, folder: Path, env: dict[str, str], queues: tuple[str, ...] = QUEUES
    ) -> CeleryWorkers:
        config_dir = folder / "celery-config"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "dagster_celery_config.py").write_text(CONFIG_MODULE)
        workers = cls(folder)
        environ = {
            **os.environ,
            **env,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(config_dir), env.get("PYTHONPATH")])),
        }
        celery = str(Path(sys.executable).with_name("celery"))
        for index, queue in enumerate(queues, start=1):
            name = f"worker{index}-{queue}"
            log = open(folder / f"{name}.log", "wb")  # noqa: SIM115 - the worker's lifetime
            workers.processes[name] = subprocess.Popen(
                [
                    celery,
                    "-A",
                    "dagster_celery.app",
                    "worker",
                    "--prefetch-multiplier=1",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "-Q",
                    queue,
                    "-n",
                    f"{name}@%h",
                ],
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            time.sleep(0.5)  # the workers' broker polls do not start in the same instant
        return workers

    def wait_ready(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        for name in self.processes:
            log = self.folder / f"{name}.log"
            while b" ready." not in log.read_bytes():
                if self.processes[name].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Celery {name} did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)

    def main_pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
