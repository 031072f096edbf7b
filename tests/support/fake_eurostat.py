"""A stand-in for Eurostat's dissemination API on 127.0.0.1 (a real HTTP server in a thread):
the statistics API (JSON-stat), SDMX 2.1 data (SDMX-CSV, gzip), the async API, and faults
injected per request. It filters like Eurostat: named parameters on the statistics API, a
positional key on SDMX 2.1, so a client that sends the wrong key gets the wrong answer.
Confidential cells (`conf_status`) are written as the current API writes them, apart from the
flags, and a filter that matches no data is answered as Eurostat does: HTTP 200 with a header
alone (SDMX-CSV) or a dimension of size 0 and an empty `value` (JSON-stat)."""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

import polars as pl

from tests.support.eurostat_formats import to_jsonstat, to_sdmx_csv


@dataclass
class Dataset:
    frame: pl.DataFrame  # dims..., time, value, flags, conf_status (freq the first dimension)
    dims: list[str]
    updated: str = "2026-04-23T11:00:00+0200"
    static: bytes | None = None  # served as is by the data endpoint (a real file)
    max_rows: int | None = None  # answer 413 above this many observations (else the server's)


@dataclass
class Fault:
    """Applied to the next request whose endpoint is `on` (statistics, data, async or any).
    kind: status (code, headers, body), reset, stall (seconds), truncate, queue (polls)."""

    on: str
    kind: str
    status: int = 500
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0
    polls: int = 1
    times: int = 1
    match: str = ""  # only requests whose path contains this (e.g. a dataset code)


TOO_BIG = (
    b'<S:Fault xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>413</faultcode>'
    b"<faultstring>EXTRACTION_TOO_BIG: The requested extraction is too big, estimated %d rows, "
    b"max authorised is %d, please change your filters to reduce the extraction size"
    b"</faultstring></S:Fault>"
)
QUEUED = (
    b'<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/'
    b'soap/envelope/"><S:Body><ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/'
    b'soap/extraction"><queued><id>%s</id><status>SUBMITTED</status></queued></ns0:syncResponse>'
    b"</S:Body></S:Envelope>"
)
STATUS = (
    b'<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/'
    b'soap/envelope/"><S:Body><ns0:asyncResponse xmlns:ns1="http://estat.ec.europa.eu/disschain/'
    b'asynchronous" xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous">'
    b"<ns1:status><ns1:key>%s</ns1:key><ns1:status>%s</ns1:status></ns1:status>"
    b"</ns0:asyncResponse></S:Body></S:Envelope>"
)


class FakeEurostat:
    def __init__(self) -> None:
        self.datasets: dict[str, Dataset] = {}
        self.faults: list[Fault] = []
        self.requests: list[dict] = []
        self.max_rows: int | None = None  # answer 413 above this many observations
        self.jobs: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeEurostat:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, code: str, frame: pl.DataFrame, dims: list[str], **kw) -> None:
        if "freq" not in frame.columns:
            frame = frame.with_columns(pl.lit("A").alias("freq"))
            dims = ["freq", *dims]
        if "conf_status" not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias("conf_status"))
        columns = [*dims, "time", "value", "flags", "conf_status"]
        self.datasets[code] = Dataset(frame.select(columns), dims, **kw)

    def fault(self, on: str, kind: str, **kw) -> None:
        self.faults.append(Fault(on, kind, **kw))

    def calls(self, endpoint: str) -> list[dict]:
        return [r for r in self.requests if r["endpoint"] == endpoint]

    def take_fault(self, endpoint: str, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.on in (endpoint, "any") and f.match in path:
                    f.times -= 1
                    if f.times <= 0:
                        self.faults.remove(f)
                    return f
        return None

    # --- answers -------------------------------------------------------------------------

    def statistics(self, code: str, params: list[tuple[str, str]]) -> tuple[int, bytes]:
        ds = self.datasets.get(code.lower())
        if ds is None:
            return 404, b'{"error":[{"status":404,"id":100,"label":"No results found"}]}'
        frame, last = ds.frame, None
        wanted: dict[str, list[str]] = {}
        for k, v in params:
            if k == "lastTimePeriod":
                last = int(v)
            elif k.lower() not in ("format", "lang"):
                wanted.setdefault(k.lower(), []).append(v)
        for dim, codes in wanted.items():
            if dim not in frame.columns:
                return 400, b'{"error":[{"status":400,"id":150,"label":"Semantic error"}]}'
            frame = frame.filter(pl.col(dim).is_in(codes))
        if last:
            frame = frame.filter(pl.col("time").is_in(sorted(frame["time"].unique())[-last:]))
        return 200, to_jsonstat(frame, ds.dims, code, ds.updated, asked=wanted)

    def data(self, code: str, key: str) -> tuple[int, bytes]:
        ds = self.datasets.get(code.lower())
        if ds is None:
            return 404, b"<faultstring>No results found</faultstring>"
        if ds.static is not None:
            return 200, ds.static
        parts = key.split(".")
        if len(parts) != len(ds.dims):
            return 400, b"<faultstring>Syntax error: wrong number of key positions</faultstring>"
        frame = ds.frame
        for dim, part in zip(ds.dims, parts, strict=True):
            if part:
                frame = frame.filter(pl.col(dim).is_in(part.split("+")))
        limit = ds.max_rows if ds.max_rows is not None else self.max_rows
        if limit is not None and frame.height > limit:
            return 413, TOO_BIG % (frame.height, limit)
        return 200, to_sdmx_csv(frame, ds.dims, code)  # the header alone when nothing matches


def _handler(api: FakeEurostat):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            params = parse_qsl(parts.query)
            segments = [s for s in path.split("/") if s]
            endpoint = "other"
            if "statistics" in segments:
                endpoint = "statistics"
            elif "sdmx" in segments:
                endpoint = "data"
            elif "async" in segments:
                endpoint = "async"
            api.requests.append(
                {
                    "endpoint": endpoint,
                    "path": self.path,
                    "params": params,
                    "headers": dict(self.headers),
                    "at": time.monotonic(),
                }
            )
            fault = api.take_fault(endpoint, path)
            if fault is not None and fault.kind == "status":
                return self.answer(fault.status, fault.body or b"fault", fault.headers)
            if fault is not None and fault.kind == "reset":
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return None
            if fault is not None and fault.kind == "stall":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"DATAFLOW,")
                self.wfile.flush()
                time.sleep(fault.seconds)
                self.close_connection = True
                return None
            if endpoint == "statistics":
                status, body = api.statistics(segments[-1], params)
                return self.answer(status, body, {"Content-Type": "application/json"})
            if endpoint == "data":
                code, key = segments[-2], segments[-1]
                status, body = api.data(code, key)
                if status == 200 and fault is not None and fault.kind == "queue":
                    job = str(uuid.uuid4())
                    api.jobs[job] = {"polls": fault.polls, "body": body}
                    return self.answer(
                        200, QUEUED % job.encode(), {"Content-Type": "application/xml"}
                    )
                gz = dict(params).get("compressed") == "true" and status == 200
                gz = gz and not body.startswith(b"\x1f\x8b")
                if gz:
                    body = gzip.compress(body, mtime=0)
                if fault is not None and fault.kind == "truncate":
                    body = body[: len(body) // 2]
                kind = "text/csv" if status == 200 else "application/xml"
                return self.answer(
                    status,
                    body,
                    {
                        "Content-Type": kind,
                        "ETag": '"v1"',
                        "Last-Modified": "Thu, 23 Apr 2026 09:00:00 GMT",
                    },
                )
            if endpoint == "async":
                job = api.jobs.get(segments[-1])
                if job is None:
                    return self.answer(
                        400, b"<faultstring>UNKNOWN_REQUEST: Unknown request.</faultstring>"
                    )
                if segments[-2] == "status":
                    job["polls"] -= 1
                    state = b"AVAILABLE" if job["polls"] < 0 else b"PROCESSING"
                    return self.answer(200, STATUS % (segments[-1].encode(), state))
                return self.answer(
                    200, gzip.compress(job["body"], mtime=0), {"Content-Type": "text/csv"}
                )
            return self.answer(404, b"not found")

        def answer(self, status: int, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def add_sample_datasets(api: FakeEurostat, updated: str = "2026-04-23T11:00:00+0200") -> None:
    """Serve every bundled SAMPLE file as if it were Eurostat's current data."""
    from pipelines.settings import SAMPLE_DIR
    from pipelines.sources.eurostat.parsing import parse_file

    for path in sorted((SAMPLE_DIR / "eurostat").iterdir()):
        parsed = parse_file(path)
        api.add(parsed.dataset, parsed.frame, parsed.dimensions, updated=updated)


def client_env(api: FakeEurostat, **overrides) -> dict[str, str]:
    """Environment for a `monitor` subprocess that talks to `api` with tiny backoffs."""
    env = {
        "MONITOR_EUROSTAT_BASE_URL": api.base_url,
        "MONITOR_EUROSTAT_CONNECT_TIMEOUT_S": "2",
        "MONITOR_EUROSTAT_READ_TIMEOUT_S": "2",
        "MONITOR_EUROSTAT_MAX_ATTEMPTS": "3",
        "MONITOR_EUROSTAT_BACKOFF_INITIAL_S": "0.01",
        "MONITOR_EUROSTAT_BACKOFF_MAX_S": "0.05",
        "MONITOR_EUROSTAT_TOTAL_BUDGET_S": "20",
        "MONITOR_EUROSTAT_ASYNC_POLL_INTERVAL_S": "0.02",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[var] = ""
    env.update({f"MONITOR_EUROSTAT_{k.upper()}": str(v) for k, v in overrides.items()})
    return env
