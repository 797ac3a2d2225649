"""`make bench`: the site under gunicorn with production settings, driven by wrk.

Prepares a benchmark database (demo content, 50 approved reviews on the demo
product; SQLite under bench/ unless DATABASE_URL is set), collects static files,
starts gunicorn on 127.0.0.1 (plain HTTP: SECURE_SSL_REDIRECT=0, a throwaway
SECRET_KEY) and measures each row with Debian's wrk, all in one run. Prints one
table and writes it to bench/results/latest.md.

The uncached rows send `X-Page-Cache-Bypass` with a random token that only this
run's server honours (PAGE_CACHE_BYPASS_TOKEN), so the same server answers them
without its page cache. Every row must have 0 non-2xx/3xx responses and 0
socket errors; the script exits non-zero otherwise.

The rows are measured in rounds (static, cached page, uncached page, ..., then
again): on a shared machine the load from elsewhere drifts over a minute, and
measuring a page right after the static file it is compared with, again and
again, keeps that drift out of the ratios. A row's req/s is its requests over its
time in all rounds, its p50 the median of the rounds' and its p99 the worst.
"""

import argparse
import http.cookiejar
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from html_forms import form_fields  # bench/, next to this script

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
PRODUCT = "/products/baclofen-40-mg/"
INDEX = "/products/"
CART = "/cart/"

PREPARE = """
from catalog.demo import load_demo
from catalog.models import ProductPage
from catalog.reviews.models import Review, ReviewStatus
from website.pagecache import store

load_demo()
product = ProductPage.objects.get(slug="baclofen-40-mg")
Review.objects.filter(author_name="Bench visitor").delete()  # earlier runs' submissions
bench = Review.objects.filter(product=product, author_name__startswith="Bench reviewer ")
Review.objects.bulk_create(
    Review(
        product=product,
        product_title=product.title,
        author_name=f"Bench reviewer {i}",
        email=f"reviewer{i}@example.com",
        rating=1 + i % 5,
        text="Helped with the stiffness; some drowsiness in the first week.\\nWould use again.",
        status=ReviewStatus.APPROVED,
    )
    for i in range(bench.count(), 50)
)
store.drop_all()  # a shared (Redis) cache may hold pages from an earlier run
print(product.body.__len__(), product.pack_sizes.count(), product.reviews.approved().count())
"""


def server_env(port, bypass_token):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PAGE_CACHE_BYPASS_TOKEN=bypass_token,
        # One client (wrk, from 127.0.0.1) sends every review: lift the per-client limit.
        REVIEWS_RATE_LIMIT="1000000000",
        BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def wait_until_up(base, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + INDEX, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer on {base} within {timeout} s")


def static_url():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


class Visitor:
    """A browser-like client with its own cookies (for forms and the cart)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path, headers=None):
        request = urllib.request.Request(
            self.base + path, headers={**(headers or {}), "Cookie": self.cookie_header()}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(
            self.base + path, data=body, method="POST", headers={"Cookie": self.cookie_header()}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:  # the 302 of post/redirect/get
            return error.code

    def cookie_header(self):
        # The jar holds the Secure cookies but would only send them over HTTPS.
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output):
    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "seconds": total / rps if rps else 0.0,
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "requests": total,
    }


def wrk(url, args, seconds, connections, threads, headers=(), script=None, env=None):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        [*command, url], check=True, text=True, capture_output=True, env=env
    ).stdout
    if args.verbose:
        print(output)
    return parse_wrk(output)


def cart_with_three_lines(base):
    """A visitor who put three pack sizes in their cart: their cookies, or None without a cart."""
    visitor = Visitor(base)
    status, _, html = visitor.get(PRODUCT)
    try:
        action, hidden = form_fields(html, "cart")
    except LookupError:
        return None
    packs = re.findall(r'name="pack" id="pack-\d+" value="(\d+)"', html)
    for pack in packs[:3]:
        visitor.post(action, {**hidden, "pack": pack, "count": "1"})
    status, _, cart = visitor.get(CART)
    lines = len(re.findall(r'class="cart-line\b', cart))
    return visitor.cookie_header(), lines


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(os.environ.get("BENCH_SECONDS", 10)),
        help="seconds per row, over all rounds",
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 5)))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8105)))
    parser.add_argument(
        "--docs", action="store_true", help="also put the table in docs/benchmarks.md"
    )
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output")
    return parser.parse_args()


def main():
    args = parse_args()
    bypass = secrets.token_urlsafe(16)
    env = server_env(args.port, bypass)
    base = f"http://127.0.0.1:{args.port}"
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"

    print(f"Preparing the {database} benchmark database...", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    sections, packs, reviews = manage(env, "shell", "-c", PREPARE, capture=True).split()[-3:]
    manage(env, "collectstatic", "--noinput", "-v0")

    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "website.wsgi"], cwd=ROOT, env=env
    )
    try:
        wait_until_up(base)
        rows = measure(args, base, bypass, sections, packs, reviews)
    finally:
        server.terminate()
        server.wait(timeout=30)

    write_results(args, rows, conditions(args, database, env))
    failed = [r for r in rows if r["bad"] or r["errors"]]
    if failed:
        print("FAILED: non-2xx/3xx responses or socket errors in", [r["name"] for r in failed])
        return 1
    return 0


def conditions(args, database, env):
    """What the numbers were measured on, printed under the table."""
    cache_backend = "Redis" if env.get("REDIS_URL") else "local memory (per worker)"
    workers = os.environ.get("WEB_CONCURRENCY") or str(os.cpu_count() * 2 + 1)
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
        f"({platform.machine()}, shared), {database}, cache: {cache_backend}, gunicorn "
        f"{workers} sync workers, wrk -t{args.threads} -c{args.connections}, "
        f"{args.rounds} rounds of {slice_seconds(args)} s per row "
        f"(rows alternating), plain HTTP on 127.0.0.1, one run."
    )


def write_results(args, rows, conditions):
    """The table on stdout, in bench/results/latest.md and (--docs) docs/benchmarks.md."""
    table = render(rows)
    print(f"\n{table}\n\n{conditions}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(f"# make bench: latest results\n\n{conditions}\n\n{table}\n")
    if args.docs:
        doc = ROOT / "docs" / "benchmarks.md"
        block = f"<!-- bench:start -->\n{conditions}\n\n{table}\n<!-- bench:end -->"
        doc.write_text(
            re.sub(
                r"<!-- bench:start -->.*?<!-- bench:end -->",
                lambda m: block,
                doc.read_text(),
                flags=re.S,
            )
        )


def warm(base, bypass):
    """Until every worker serves hits: with the local-memory cache each gunicorn worker has
    its own, so one visit per page is not enough; Redis is shared by all."""
    for path in (PRODUCT, INDEX):
        hits_in_a_row = 0
        for _ in range(500):
            _, headers, _ = Visitor(base).get(path)
            hits_in_a_row = hits_in_a_row + 1 if headers.get("X-Cache") == "HIT" else 0
            if hits_in_a_row >= 30:
                break
        assert hits_in_a_row >= 30, f"{path} should come from the cache once warmed"
    status, headers, _ = Visitor(base).get(PRODUCT, {"X-Page-Cache-Bypass": bypass})
    assert "X-Cache" not in headers, "the bypass header should skip the cache"


def review_row(base, bypass):
    """A visitor's real review form (CSRF token, signed start time), sent by wrk's script."""
    visitor = Visitor(base)
    _, _, html = visitor.get(PRODUCT, {"X-Page-Cache-Bypass": bypass})
    action, hidden = form_fields(html, "reviews/add")
    body = urllib.parse.urlencode(
        {
            **hidden,
            "rating": "4",
            "text": "Benchmark review: eased my spasms within a week.",
            "author_name": "Bench visitor",
            "email": "bench@example.com",
            "website": "",
        }
    )
    review_env = {**os.environ, "BENCH_BODY": body, "BENCH_COOKIE": visitor.cookie_header()}
    review = {"script": ROOT / "bench" / "post_form.lua", "env": review_env}
    return ("review submissions (POST)", action, review)


def measure(args, base, bypass, sections, packs, reviews):
    warm(base, bypass)
    bypass_header = f"X-Page-Cache-Bypass: {bypass}"
    plan = [
        ("static file (the ceiling)", static_url(), {}),
        ("product page, cached", PRODUCT, {}),
        (
            f"product page, uncached ({sections} blocks, {packs} packs, {reviews} reviews)",
            PRODUCT,
            {"headers": [bypass_header]},
        ),
        ("products index, cached", INDEX, {}),
        ("products index, uncached", INDEX, {"headers": [bypass_header]}),
    ]
    cart = cart_with_three_lines(base)
    if cart is not None:
        cookies, lines = cart
        plan.append((f"cart page, {lines} lines", CART, {"headers": [f"Cookie: {cookies}"]}))
    else:
        print("No add-to-cart form on the product page: the cart row is skipped.")
    # The review row comes last in each round: the other rows (at least 5 s) outlast the
    # form's minimum fill time (3 s), so the first POST is taken as a person's.
    plan.append(review_row(base, bypass))
    return run_rounds(args, base, plan)


def run_rounds(args, base, plan):
    """Each row of `plan` measured once per round, the rows alternating; one row each."""
    slices = {name: [] for name, _, _ in plan}
    for round_number in range(1, args.rounds + 1):
        print(f"  round {round_number} of {args.rounds}...", flush=True)
        for name, path, options in plan:
            seconds = slice_seconds(args)
            slices[name].append(
                wrk(base + path, args, seconds, args.connections, args.threads, **options)
            )
    return [{"name": name, **combined(measured)} for name, measured in slices.items()]


def slice_seconds(args):
    """How long each row is measured in each round."""
    return max(1, round(args.seconds / args.rounds))


def combined(measured):
    """One row from its rounds."""
    seconds = sum(m["seconds"] for m in measured)
    requests = sum(m["requests"] for m in measured)
    p50s = sorted(m["p50"] for m in measured)
    return {
        "rps": requests / seconds if seconds else 0.0,
        "p50": p50s[len(p50s) // 2],
        "p99": max(m["p99"] for m in measured),
        "bad": sum(m["bad"] for m in measured),
        "errors": sum(m["errors"] for m in measured),
        "requests": requests,
    }


def render(rows):
    ceiling = rows[0]["rps"]
    lines = [
        "| what | req/s | p50 ms | p99 ms | × static | non-2xx/3xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        bad = row["bad"] + row["errors"]
        lines.append(
            f"| {row['name']} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['rps'] / ceiling:.2f} | {bad} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
