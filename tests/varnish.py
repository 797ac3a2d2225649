"""A real Varnish (varnishd -F) in front of the live test server, with the site's VCL.

Locally, a missing varnishd skips the tests that use it, with the reason; in CI (CI
is set) it fails them: .ci/run installs Debian's `varnish` package.
"""

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "formulary.vcl"
VARNISHD = os.environ.get("VARNISHD", "varnishd")


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the Varnish tests must run)", pytrace=False)
    pytest.skip(reason)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port, process, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Varnish:
    """An HTTP client that talks to the site through Varnish, as `Host: localhost` (the
    test Site's host, so purges name the same host as the cached pages)."""

    host = "localhost"

    def __init__(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method, path, body=body, headers={"Host": self.host, **(headers or {})}
            )
            response = connection.getresponse()
            body = response.read()
            if response.headers["Content-Encoding"] == "gzip":
                body = gzip.decompress(body)
            return Response(response.status, response.headers, body.decode())
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)


@pytest.fixture(scope="session")
def varnish_server(live_server):
    """varnishd in the foreground on a free loopback port, its backend the live server."""
    if shutil.which(VARNISHD) is None:
        _unavailable("varnishd is not installed (apt-get install varnish)")
    backend_port = live_server.url.rsplit(":", 1)[1]
    folder = Path(tempfile.mkdtemp(prefix="formulary-varnish-"))
    folder.chmod(0o755)  # varnishd drops to its own user: the VCL must be readable
    vcl = folder / "formulary.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    vcl.chmod(0o644)
    port = _free_port()
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(folder / "n"),
            "-s",
            "malloc,64m",
            "-p",
            "ban_lurker_sleep=0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    if not _wait_for(port, process):
        process.kill()
        output = process.communicate()[0].decode(errors="replace")[-2000:]
        _unavailable(f"varnishd did not start: {output}")
    yield Varnish(port)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def varnish(
    varnish_server, request_gate, transactional_db, settings, django_db_serialized_rollback
):
    """Varnish in front, the page cache on, and content changes banning through
    wagtail.contrib.frontend_cache's HTTP backend, as in production. Starts empty."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": varnish_server.url,
        }
    }
    varnish_server.request("BAN", "/")
    request_gate.open()  # (tests/browser.py: shut between tests)
    yield varnish_server
    request_gate.shut()
