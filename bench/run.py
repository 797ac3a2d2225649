"""`make bench`: the site under gunicorn with production settings, driven by wrk.

Prepares a benchmark database (demo content, 50 approved reviews on the demo
product; SQLite under bench/ unless DATABASE_URL is set), collects static files,
starts gunicorn on 127.0.0.1 (plain HTTP: SECURE_SSL_REDIRECT=0, a throwaway
SECRET_KEY) and measures each row with Debian's wrk, all in one run. Prints one
table and writes it to bench/results/latest.md.

Servers, all started here: gunicorn with the page cache in the production default
cache (a file cache shared by the workers; plus one with Redis when REDIS_URL or
BENCH_REDIS_URL names one or one answers on 127.0.0.1:6379), gunicorn with PAGE_CACHE_SECONDS=0 (the uncached
rows), and a real varnishd with deploy/varnish/formulary.vcl in front of the
first (the Varnish rows). gunicorn rows are ratios to the WhiteNoise static file,
Varnish rows to the static file through Varnish, all measured in the same run.
Every row must have 0 non-2xx/3xx responses and 0 socket errors; the script exits
non-zero otherwise.

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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
PRODUCT = "/products/baclofen-40-mg/"
INDEX = "/products/"
CART = "/cart/"

PREPARE = """
import os
from catalog.demo import load_demo
from catalog.models import ProductPage
from catalog.reviews.models import Review, ReviewStatus

load_demo()
# The seed page's behaviour (docs/supply-rules.md): the demo's prescription-only product with
# its pack choice, cart and review form, as the benchmark has always measured it.
from home.site_settings import PharmacySettings, PrescriptionOnlySupply
pharmacy = PharmacySettings.load()
pharmacy.prescription_only_supply = PrescriptionOnlySupply.CUSTOMER_SENDS_PRESCRIPTION
pharmacy.promote_prescription_only = True
pharmacy.save()
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
    for i in range(bench.count(), int(os.environ.get("BENCH_REVIEWS", "50")))
)
from django.core.management import call_command
call_command("clear_page_cache")  # a shared (Redis) cache may hold pages from an earlier run
print(product.body.__len__(), product.pack_sizes.count(), product.reviews.approved().count())
"""


def server_env(port, **overrides):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        # One client (wrk, from 127.0.0.1) sends every review: lift the per-client limit.
        REVIEWS_RATE_LIMIT="1000000000",
        BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        CACHE_DIR=str(ROOT / "bench" / "cache"),
    )
    env.setdefault("WEB_CONCURRENCY", "3")  # three servers share the machine
    env.pop("REDIS_URL", None)
    env.update(overrides)
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
            return response.status, dict(response.headers), response.read().decode(errors="replace")

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


def form_fields(html, action_contains):
    """The hidden fields of the first form whose action contains `action_contains`."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        action = re.search(r'action="([^"]*)"', form)
        if action and action_contains in action.group(1):
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            return action.group(1).replace("&amp;", "&"), hidden
    raise SystemExit(f"no form posting to *{action_contains}* on the page")


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
    except SystemExit:
        return None
    packs = re.findall(r'name="pack" id="pack-\d+" value="(\d+)"', html)
    for pack in packs[:3]:
        visitor.post(action, {**hidden, "pack": pack, "count": "1"})
    status, _, cart = visitor.get(CART)
    lines = len(re.findall(r'class="cart-line\b', cart))
    return visitor.cookie_header(), lines


def main():
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
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output")
    args = parser.parse_args()

    ports = {
        name: args.port + i for i, name in enumerate(["cached", "uncached", "redis", "varnish"])
    }
    redis_url = (
        os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL", "") or local_redis()
    )
    envs = {
        "cached": server_env(ports["cached"]),
        "uncached": server_env(ports["uncached"], PAGE_CACHE_SECONDS="0"),
    }
    if redis_url:
        envs["redis"] = server_env(
            ports["redis"], REDIS_URL=redis_url, CACHE_KEY_PREFIX="formulary-bench"
        )
    env = envs["cached"]
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"

    print(f"Preparing the {database} benchmark database...", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    sections, packs, reviews = manage(env, "shell", "-c", PREPARE, capture=True).split()[-3:]
    if redis_url:
        manage(envs["redis"], "clear_page_cache")
    manage(env, "collectstatic", "--noinput", "-v0")

    servers = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "website.wsgi"], cwd=ROOT, env=e
        )
        for e in envs.values()
    ]
    varnish = start_varnish(ports["varnish"], ports["cached"])
    bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        for name in envs:
            wait_until_up(bases[name])
        wait_until_up(bases["varnish"])
        rows = measure(args, bases, sections, packs, reviews, redis=bool(redis_url))
    finally:
        for server in [*servers, varnish]:
            server.terminate()
        for server in [*servers, varnish]:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

    workers = env["WEB_CONCURRENCY"]
    conditions = (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores "
        f"({platform.machine()}, shared), {database}, gunicorn {workers} sync workers per "
        f"server, Varnish 7 (deploy/varnish/formulary.vcl), wrk -t{args.threads} "
        f"-c{args.connections}, {args.rounds} rounds of {slice_seconds(args)} s per row "
        f"(rows alternating), gzip, plain HTTP on 127.0.0.1, one run."
    )
    table = render(rows)
    print()
    print(table)
    print()
    print(conditions)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(f"# make bench: latest results\n\n{conditions}\n\n{table}\n")
    failed = [r for r in rows if r["bad"] or r["errors"]]
    if failed:
        print("FAILED: non-2xx/3xx responses or socket errors in", [r["name"] for r in failed])
        return 1
    return 0


def local_redis():
    """Redis on this machine's default port, if one answers (its database 15), else ""."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/15"


def start_varnish(port, backend_port):
    """varnishd in the foreground with the site's VCL, its backend the cached gunicorn."""
    folder = Path(tempfile.mkdtemp(prefix="formulary-bench-varnish-"))
    folder.chmod(0o755)  # varnishd drops to its own user
    vcl = folder / "formulary.vcl"
    source = (ROOT / "deploy" / "varnish" / "formulary.vcl").read_text()
    vcl.write_text(source.replace('.port = "8000";', f'.port = "{backend_port}";'))
    vcl.chmod(0o644)
    command = ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
    return subprocess.Popen([*command, "-n", str(folder / "n"), "-s", "malloc,256m"])


def warm(base, path, accept_gzip=True):
    """Until 30 hits in a row: every worker's (and Varnish's) copy is there."""
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    hits_in_a_row = 0
    for _ in range(500):
        _, response_headers, _ = Visitor(base).get(path, headers)
        hits_in_a_row = hits_in_a_row + 1 if response_headers.get("X-Cache") == "HIT" else 0
        if hits_in_a_row >= 30:
            return
    raise SystemExit(f"{base}{path} should come from the cache once warmed")


GZIP = "Accept-Encoding: gzip"


def measure(args, bases, sections, packs, reviews, redis):
    static = static_url()
    for name in ["cached", "varnish", *(["redis"] if redis else [])]:
        for path in (PRODUCT, INDEX):
            warm(bases[name], path)
    cached, uncached, varnish = bases["cached"], bases["uncached"], bases["varnish"]
    gz = {"headers": [GZIP]}
    plan = [
        ("static file, WhiteNoise (gunicorn ceiling)", cached + static, gz),
        ("product page, cached (file cache)", cached + PRODUCT, gz),
    ]
    if redis:
        plan.append(("product page, cached (Redis)", bases["redis"] + PRODUCT, gz))
    plan += [
        (
            f"product page, uncached ({sections} blocks, {packs} packs, {reviews} reviews)",
            uncached + PRODUCT,
            gz,
        ),
        ("products index, cached", cached + INDEX, gz),
        ("products index, uncached", uncached + INDEX, gz),
    ]
    cart = cart_with_three_lines(cached)
    cookies, lines = cart if cart else ("", 0)
    if cart:
        plan.append(
            (f"cart page, {lines} lines", cached + CART, {"headers": [GZIP, f"Cookie: {cookies}"]})
        )
    plan += [
        ("static file via Varnish (Varnish ceiling)", varnish + static, gz),
        ("product page via Varnish, anonymous", varnish + PRODUCT, gz),
    ]
    if cart:
        plan.append(
            (
                "product page via Varnish, with a cart cookie",
                varnish + PRODUCT,
                {"headers": [GZIP, f"Cookie: {cookies}"]},
            )
        )
    plan.append(("review submissions (POST)", *review_post(cached)))
    # The review row comes last in each round: the other rows (at least 5 s) outlast the
    # form's minimum fill time (3 s), so the first POST is taken as a person's.
    slices = {name: [] for name, _, _ in plan}
    for round_number in range(1, args.rounds + 1):
        print(f"  round {round_number} of {args.rounds}...", flush=True)
        for name, url, options in plan:
            slices[name].append(
                wrk(url, args, slice_seconds(args), args.connections, args.threads, **options)
            )
    return [{"name": name, **combined(measured)} for name, measured in slices.items()]


def review_post(base):
    """A visitor's real review form: the page's fields and the one-use token /visitor/
    gives its script (reused by every POST after the first: those are filed as spam)."""
    visitor = Visitor(base)
    _, _, html = visitor.get(PRODUCT)
    action, hidden = form_fields(html, "reviews/add")
    _, _, data = visitor.get("/visitor/?tokens=review")
    hidden["started"] = json.loads(data)["tokens"]["review"]
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
    return base + action, {"script": ROOT / "bench" / "post_form.lua", "env": review_env}


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
    """Each row as a ratio to its ceiling: the last static-file row above it."""
    ceiling = rows[0]["rps"]
    lines = [
        "| what | req/s | p50 ms | p99 ms | × its static file | non-2xx/3xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if row["name"].startswith("static file"):
            ceiling = row["rps"]
        bad = row["bad"] + row["errors"]
        lines.append(
            f"| {row['name']} | {row['rps']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['rps'] / ceiling:.2f} | {bad} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
