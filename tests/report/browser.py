"""Headless Chromium (Debian's chromium + chromium-driver, driven by Selenium) on the report
served from 127.0.0.1, shared by the browser tests: the server, the driver, a viewport of a
given width, full-page screenshots into test-output/."""

from __future__ import annotations

import base64
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,1000",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(report_dir: Path):
    """A loopback HTTP server on the report folder; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(report_dir)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def driver(tmp_path_factory, javascript: bool = True):
    browser, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not browser or not chromedriver:
        pytest.skip(
            "Chromium is not installed: `apt-get install -y chromium chromium-driver` (.ci/run does this)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=options, service=Service(chromedriver))


def viewport(drv, width: int, height: int = 1000) -> None:
    """The layout viewport exactly `width` CSS pixels wide (a window cannot be made that narrow)."""
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def screenshot(drv, name: str) -> Path:
    """The whole page as a PNG in test-output/."""
    OUTPUT.mkdir(exist_ok=True)
    width = drv.execute_script("return document.documentElement.clientWidth")
    height = drv.execute_script("return document.documentElement.scrollHeight")
    shot = drv.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path = OUTPUT / name
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 20_000
    return path
