"""Fixtures for tests that drive a real Chromium (Playwright) against the live server.

One browser for the whole session, a fresh context (cookies, storage) for each
test. Locally, a missing browser skips these tests with the reason; in CI
(CI is set) it fails them, so a broken install can never pass as green. When a
browser test fails, its screenshot and HTML go to test-artifacts/.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI and this machine run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # Nothing but the live server: no request ever leaves this machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000


# The reasons unavailable() skipped tests for: the run's last line lists them (conftest.py).
MISSING_FROM_THE_SYSTEM = set()


def unavailable(reason):
    """Skip locally (and say so at the end of the run); fail in CI, where these tests must run.

    For any test that needs something from the system (a browser, Java, Varnish)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run)", pytrace=False)
    MISSING_FROM_THE_SYSTEM.add(reason)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the artifacts below."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (make install-test)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop running in this thread; the test
    # code that sets up data through the ORM is still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = _serialized_test_databases()
    playwright = sync_playwright().start()
    # With that loop running, Django's thread-critical connection handles are looked
    # up per context: this thread now gets new connection objects, which must carry
    # the migrated data for the serialized rollback, like the ones they replace.
    _restore_serialized_test_databases(serialized)
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Error as e:
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {e}")
    yield chromium
    chromium.close()
    _close_connections()  # the per-context ones, before the loop stops and hides them
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialized_test_databases():
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_test_databases(serialized):
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


def _close_connections():
    from django.db import connections

    connections.close_all()


class RequestGate:
    """Wraps the live server's WSGI app so no request touches the database between tests.

    A page can still send requests after its test ends (the Wagtail editor's
    "release editing session" beacon on unload): if one ran while the test
    database is being flushed, the flush would fail. Between tests the gate is
    shut: it waits for requests in flight, and answers new ones with a 503.
    """

    def __init__(self, app):
        self.app = app
        self.is_open = True
        self.active = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            if not self.is_open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"The test that used this page has ended."]
            self.active += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.changed:
                self.active -= 1
                self.changed.notify_all()

    def open(self):
        with self.changed:
            self.is_open = True

    def shut(self, timeout=10):
        with self.changed:
            self.is_open = False
            self.changed.wait_for(lambda: self.active == 0, timeout)


@pytest.fixture(scope="session")
def request_gate(live_server):
    server = live_server.thread.httpd
    gate = RequestGate(server.get_app())
    server.set_app(gate)
    return gate


@pytest.fixture
def browser_viewport():
    """Override in a test module (or parametrize) for another window size."""
    return DESKTOP


@pytest.fixture
def browser_javascript():
    """Parametrize with [False] to see the page as a visitor without JavaScript."""
    return True


@pytest.fixture
def page(
    request,
    browser,
    live_server,
    request_gate,
    django_db_serialized_rollback,
    browser_viewport,
    browser_javascript,
):
    """A new tab on the live server; page.goto("/products/") works.

    The live server needs a transactional database; the serialized rollback puts
    back what migrations created (the root page, default groups) after each flush.
    """
    request_gate.open()
    context = browser.new_context(
        base_url=live_server.url, viewport=browser_viewport, java_script_enabled=browser_javascript
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        save_artifacts(request, tab)
    context.close()
    request_gate.shut()
    assert not errors, f"JavaScript errors on the page: {errors}"


def save_artifacts(request, tab):
    folder = request.config.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
    try:
        tab.screenshot(path=folder / f"{name}.png", full_page=True)
        (folder / f"{name}.html").write_text(tab.content(), encoding="utf-8")
    except Exception as e:  # noqa: BLE001 - the test's own failure matters more
        (folder / f"{name}.txt").write_text(f"Could not save the page: {e}\n")
