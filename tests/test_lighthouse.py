"""Lighthouse scores every public page 100 for accessibility, best practices and SEO.

Lighthouse (npm `lighthouse`, installed by `make test` with `npm ci`) loads each page from
the live server in its own headless Chromium, as a phone and as a desktop, three runs at a
time. On failure the message lists each page's failing audits (id and title).

Pages kept out of search engines on purpose (`noindex`: search, the cart, the consultation)
fail "is crawlable" and have no meta description (there is no search snippet to show); every
other SEO audit must pass, and "is crawlable" must fail. The 404 page is noindex too, answers
404 (its status-code audit is exempt) and its one console error must be Chromium reporting
that 404. Locally, a missing Node, Lighthouse or Chromium skips this test; in CI it fails it.
"""

import json
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from catalog.models import ProductPage
from tests.browser import CHROMIUM, unavailable

pytestmark = pytest.mark.browser

LIGHTHOUSE = Path(__file__).resolve().parent.parent / "node_modules/.bin/lighthouse"
CATEGORIES = ["accessibility", "best-practices", "seo"]
PARALLEL_RUNS = 3  # each run mostly waits (for the page to settle, for Chromium to close)
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
# Audits a page fails on purpose. Kept out of search engines (noindex): not crawlable, and no
# description (the snippet a search engine would show). A 404 also answers 404.
NOINDEX = frozenset({"is-crawlable", "meta-description"})
NOT_FOUND = NOINDEX | {"http-status-code"}


def lighthouse_command():
    if shutil.which("node") is None:
        unavailable("Node.js is not installed (apt-get install npm)")
    if not LIGHTHOUSE.exists():
        unavailable("Lighthouse is missing (run `npm ci`, or `make test`)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return str(LIGHTHOUSE)


def run_lighthouse(command, url, form_factor, folder, headers=None, not_found=False):
    """One Lighthouse run (its own Chromium) on `url`; return its JSON report."""
    report = folder / "report.json"
    args = [
        command,
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--disable-full-page-screenshot",
    ]
    if form_factor == "desktop":
        args.append("--preset=desktop")
    if not_found:  # by default Lighthouse refuses to test a page that answers 404
        args.append("--ignore-status-code")
    if headers:
        args.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"Lighthouse failed on {url}: {result.stderr[-2000:]}"
    return json.loads(report.read_text())


def only_its_own_404(audit, report):
    """The console's one error on a 404 page is Chromium reporting that very 404."""
    items = audit["details"]["items"]
    return all(
        item["source"] == "network" and item["sourceLocation"]["url"] == report["finalDisplayedUrl"]
        for item in items
    )


def failing_audits(report, exempt=frozenset()):
    """Every scored audit below 100, as "category: id (title)", except the exempt ones."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if not ref["weight"] or audit["score"] is None or audit["score"] == 1:
                continue
            if audit["id"] in exempt:
                continue
            if exempt is NOT_FOUND and audit["id"] == "errors-in-console":
                if only_its_own_404(audit, report):
                    continue
            found.append(f"{name}: {audit['id']} ({audit['title']})")
    return found


def scores(report):
    return {name: report["categories"][name]["score"] for name in CATEGORIES}


def cart_session(client, origin):
    """A session whose cart holds one line (Paracetamol's 16 pack), for the cart page."""
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    pack = paracetamol.pack_sizes.get(quantity=16)
    assert client.post("/cart/add/", {"pack": pack.pk, "count": 1}).status_code == 302
    headers = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    with urlopen(Request(origin + "/cart/", headers=headers)) as response:
        assert "Items in your cart" in response.read().decode()  # the live server sees it
    return headers


def public_pages(demo, client, origin):
    """(name, path, exempt audits, request headers) for every public page."""
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    pharmacy_pack = ProductPage.objects.get(slug="paracetamol-500-mg-tablets-pharmacy-pack")
    with_a_line = cart_session(client, origin)
    return [
        ("home", "/", frozenset(), None),
        ("products", "/products/", frozenset(), None),
        ("product-prescription-only", demo.url, frozenset(), None),
        ("product-general-sale", paracetamol.url, frozenset(), None),
        ("product-pharmacy", pharmacy_pack.url, frozenset(), None),
        ("search-results", "/search/?q=baclofen", NOINDEX, None),
        ("search-no-results", "/search/?q=zzzz", NOINDEX, None),
        ("cart-empty", "/cart/", NOINDEX, None),
        ("cart-with-a-line", "/cart/", NOINDEX, with_a_line),
        ("checkout", "/checkout/", NOINDEX, with_a_line),
        ("consultation-start", f"/consultations/start/{demo.pk}/", NOINDEX, None),
        ("pharmacy-questions", f"/consultations/pharmacy/{pharmacy_pack.pk}/", NOINDEX, None),
        ("not-found", "/products/no-such-medicine/", NOT_FOUND, None),
    ]


class OneRequestAtATime:
    """Lighthouse runs side by side, but the live server answers one request at a time: on
    SQLite in memory its threads share a single database connection."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.app(environ, start_response)


@pytest.fixture
def origin(live_server, request_gate, django_db_serialized_rollback):
    """The live server's address, its requests one at a time. Chromium counts localhost, not
    127.0.0.1, as a secure origin (best practices: "Uses HTTPS")."""
    server = live_server.thread.httpd
    app = server.get_app()
    server.set_app(OneRequestAtATime(app))
    request_gate.open()
    yield f"http://localhost:{live_server.thread.port}"
    request_gate.shut()
    server.set_app(app)


def check_page(command, origin, form_factor, folder, page):
    """Lighthouse on one page: its scores, and what fails (empty when all is 100)."""
    name, path, exempt, headers = page
    (folder / name).mkdir()
    not_found = exempt is NOT_FOUND
    report = run_lighthouse(command, origin + path, form_factor, folder / name, headers, not_found)
    if report.get("runtimeError"):
        return {}, [f"Lighthouse could not test it: {report['runtimeError']}"]
    failing = failing_audits(report, exempt)
    if report["finalDisplayedUrl"] != origin + path:  # e.g. an empty cart sent on from checkout
        failing.append(f"redirected to {report['finalDisplayedUrl']}: not the page meant")
    if exempt and report["audits"]["is-crawlable"]["score"] != 0:
        failing.append("seo: is-crawlable passes, but this page must be kept out of search")
    return scores(report), failing


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
def test_every_public_page_scores_100(form_factor, origin, demo, client, tmp_path):
    command = lighthouse_command()
    pages = public_pages(demo, client, origin)
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        results = pool.map(lambda p: check_page(command, origin, form_factor, tmp_path, p), pages)
        checked = dict(zip([page[0] for page in pages], results, strict=True))
    print(f"Lighthouse scores ({form_factor}):")
    for name, (measured, _) in checked.items():
        print(f"  {name}: {measured}")
    problems = {name: failing for name, (_, failing) in checked.items() if failing}
    assert problems == {}, "\n".join(
        f"{name} ({form_factor}): {'; '.join(failing)}" for name, failing in problems.items()
    )
    indexable = [name for name, _, exempt, _ in pages if not exempt]
    assert all(checked[name][0] == dict.fromkeys(CATEGORIES, 1) for name in indexable)
