"""A small HTTP GET client on the standard library (http.client): separate connect and read
timeouts, a deadline on the whole exchange, retries with exponential backoff that honour
`Retry-After`, redirects followed, proxies from the environment (HTTP(S)_PROXY, NO_PROXY), gzip bodies checked,
and credentials redacted from everything it logs or raises."""

from __future__ import annotations

import base64
import email.utils
import gzip
import http.client
import re
import socket
import ssl
import time
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urljoin, urlsplit

from pipelines.sources.eurostat.client.settings import ApiSettings

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
USER_AGENT = "flemish-policy-monitor/0.1 (statistics pipeline)"


class FetchError(RuntimeError):
    """A download that failed for good (after retries, or at once when retrying cannot help)."""


class HttpStatusError(FetchError):
    def __init__(self, url: str, status: int, body: bytes):
        self.status = status
        self.body = body
        excerpt = body[:300].decode("utf-8", errors="replace").strip()
        super().__init__(f"{redact(url)} answered HTTP {status}: {excerpt}")


class Deadline:
    """The time bound of one dataset's download, all requests and waits included."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def check(self, what: str) -> None:
        if self.remaining() <= 0:
            raise FetchError(f"{what}: gave up, the time bound of {self.seconds:g}s is spent")


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes  # decompressed when the server sent gzip
    received_bytes: int
    gzip: bool
    attempts: int = 1
    retrieved_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


def redact(url: str) -> str:
    """A URL's password becomes `***` (`user:***@host`), also inside free text."""
    return re.sub(r"(//[^/@:\s]+):[^/@\s]*@", r"\1:***@", url)


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Redirect(Exception):
    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


class HttpClient:
    def __init__(self, settings: ApiSettings, log: Callable[[str], None] | None = None):
        self.settings = settings
        self.log = log or (lambda message: None)

    def get(self, url: str, deadline: Deadline) -> Response:
        """GET with retries; raises FetchError (HttpStatusError for a final HTTP status)."""
        s = self.settings
        attempt, redirects = 0, 0
        while True:
            attempt += 1
            deadline.check(redact(url))
            try:
                response = self._once(url, deadline)
                response.attempts = attempt
                return response
            except _Redirect as exc:
                redirects, attempt = redirects + 1, attempt - 1
                if redirects > MAX_REDIRECTS:
                    raise FetchError(
                        f"{redact(url)}: more than {MAX_REDIRECTS} redirects"
                    ) from None
                url = urljoin(url, exc.location)
                continue
            except _Retryable as exc:
                if attempt >= s.max_attempts:
                    raise FetchError(
                        f"{redact(url)}: {exc.reason}; gave up after {attempt} attempts"
                    ) from None
                delay = exc.retry_after
                if delay is None:
                    delay = min(s.backoff_max_s, s.backoff_initial_s * 2 ** (attempt - 1))
                if delay >= deadline.remaining():
                    raise FetchError(
                        f"{redact(url)}: {exc.reason}; the next attempt (in {delay:g}s) would "
                        f"pass the time bound of {deadline.seconds:g}s"
                    ) from None
                self.log(
                    f"{redact(url)}: {exc.reason}; retry {attempt}/{s.max_attempts - 1} in {delay:g}s"
                )
                time.sleep(delay)

    def _once(self, url: str, deadline: Deadline) -> Response:
        s = self.settings
        conn, target, headers = self._connection(
            url, min(s.connect_timeout_s, deadline.remaining())
        )
        try:
            try:
                conn.connect()
            except ssl.SSLCertVerificationError as exc:
                raise FetchError(f"{redact(url)}: TLS certificate not accepted ({exc})") from exc
            except OSError as exc:
                raise _Retryable(f"cannot connect ({_describe(exc)})") from exc
            try:
                conn.sock.settimeout(max(0.01, min(s.read_timeout_s, deadline.remaining())))
                conn.request("GET", target, headers=headers)
                resp = conn.getresponse()
                body = self._read_body(resp, conn.sock, deadline, url)
            except (OSError, http.client.HTTPException) as exc:
                raise _Retryable(f"connection failed while reading ({_describe(exc)})") from exc
        finally:
            conn.close()
        head = {k.lower(): v for k, v in resp.getheaders()}
        if resp.status in REDIRECTS and head.get("location"):
            raise _Redirect(head["location"])
        if resp.status in RETRY_STATUSES:
            raise _Retryable(f"HTTP {resp.status}", _retry_after(head.get("retry-after")))
        if resp.status >= 400:
            raise HttpStatusError(url, resp.status, body)
        received = len(body)
        zipped = body[:2] == b"\x1f\x8b"
        if zipped:
            try:
                body = gzip.decompress(body)
            except (EOFError, OSError, zlib.error) as exc:
                raise _Retryable(f"gzip body is truncated or corrupt ({exc})") from exc
        return Response(url, resp.status, head, body, received, zipped)

    def _read_body(
        self, resp: http.client.HTTPResponse, sock: socket.socket, deadline: Deadline, url: str
    ) -> bytes:
        chunks, total = [], 0
        expected = resp.getheader("Content-Length")
        while True:
            if deadline.remaining() <= 0:
                raise FetchError(
                    f"{redact(url)}: response still incomplete when the time bound of "
                    f"{deadline.seconds:g}s was spent ({total} bytes received)"
                )
            sock.settimeout(max(0.01, min(self.settings.read_timeout_s, deadline.remaining())))
            chunk = resp.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if expected is not None and expected.isdigit() and total < int(expected):
            raise http.client.IncompleteRead(b"".join(chunks), int(expected) - total)
        return b"".join(chunks)

    def _connection(self, url: str, timeout: float):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{redact(url)}: only http and https URLs are supported")
        host, port = parts.hostname or "", parts.port
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", "Accept": "*/*"}
        if parts.username:
            headers["Authorization"] = _basic(parts.username, parts.password)
        proxy = _proxy_for(parts.scheme, host)
        https = parts.scheme == "https"
        context = ssl.create_default_context() if https else None
        if proxy is None:
            if https:
                return (
                    http.client.HTTPSConnection(host, port, timeout=timeout, context=context),
                    path,
                    headers,
                )
            return http.client.HTTPConnection(host, port, timeout=timeout), path, headers
        p = urlsplit(proxy if "//" in proxy else f"http://{proxy}")
        auth = {"Proxy-Authorization": _basic(p.username, p.password)} if p.username else {}
        if https:
            conn = http.client.HTTPSConnection(
                p.hostname, p.port or 8080, timeout=timeout, context=context
            )
            conn.set_tunnel(host, port, headers=auth)
            return conn, path, headers
        conn = http.client.HTTPConnection(p.hostname, p.port or 8080, timeout=timeout)
        target = parts._replace(netloc=host + (f":{port}" if port else "")).geturl()
        return conn, target, {**headers, **auth}


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for this scheme, unless NO_PROXY exempts the host."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(scheme)
    if not proxy or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    return proxy


def _basic(user: str | None, password: str | None) -> str:
    token = f"{unquote(user or '')}:{unquote(password or '')}".encode()
    return "Basic " + base64.b64encode(token).decode()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    return redact(f"{type(exc).__name__}: {exc}".rstrip(": "))
