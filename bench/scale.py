"""`make bench-scale`: the site with 10,000 products and 100,000 reviews versus the demo.

Builds (once) a second database with the demo content plus `generate_catalog
--products 10000 --reviews 100000`, then measures the same things in both
databases, in fresh processes with production settings and the full-page cache
off (every view is rendered), alternating between the two databases twice and
keeping each one's best round to damp the noise of a shared machine:

* the demo product page, which has 10,000 approved reviews in the scale database and
  50 in the demo: time and SQL queries (target: <= 1.2x the demo's time, same query
  count), on its first view after a change and on the views after;
* the products index: queries on the first, a middle and the last page (target: the
  same on every page and in both databases) and the last page's time (target: <= 1.2x
  the first page's);
* the admin's review listing and the page explorer of the products index
  (target: under a second);
* site search over products: p50 over a set of queries (target: under 200 ms).

Writes bench/results/scale.md. Not part of `make test`.
"""

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402 - the same preparation as `make bench`

ROOT = run.ROOT
DEMO_PRODUCT_REVIEWS = 10_000  # on the demo product in the scale database

MEASURE = r"""
import json, statistics, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from catalog.models import ProductIndexPage, ProductPage
from website.pagecache import generation

def timed(client, url, n, before=lambda: None):
    client.get(url)
    times = []
    for _ in range(n):
        before()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)

def queries(client, url, before=lambda: None):
    client.get(url)
    client.get(url)
    before()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)

visitor = Client(HTTP_HOST="127.0.0.1")
product = "/products/baclofen-40-mg/"
product_id = ProductPage.objects.get(slug="baclofen-40-mg").pk
changed = generation.bump  # a change: the next view renders anew
index = ProductIndexPage.objects.get()
last = max(1, -(-ProductPage.objects.child_of(index).live().count() // 12))
User = get_user_model()
admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
    "bench-admin", "bench@example.com", None)
editor = Client(HTTP_HOST="127.0.0.1")
editor.force_login(admin)
searches = ["baclofen", "corolol", "dipine", "statin 20 mg", "muscle", "spasticity",
            "alimab", "pril", "GEN-000123", "zole 40 mg"]
search_times = []
for term in searches * 3:
    start = time.perf_counter()
    assert visitor.get("/search/", {"q": term}).status_code == 200
    search_times.append((time.perf_counter() - start) * 1000)
print(json.dumps({
    "products": ProductPage.objects.live().count(),
    "product_reviews": ProductPage.objects.get(pk=product_id).reviews.approved().count(),
    "reviews": __import__("catalog.reviews.models", fromlist=["Review"]).Review.objects.count(),
    "product_ms": timed(visitor, product, 30),
    "product_queries": queries(visitor, product),
    "changed_product_ms": timed(visitor, product, 30, before=changed),
    "changed_product_queries": queries(visitor, product, before=changed),
    "index_queries": [queries(visitor, f"/products/?page={p}") for p in (1, max(1, last // 2), last)],
    "index_ms": timed(visitor, f"/products/?page={last}", 10),
    "index_first_ms": timed(visitor, "/products/?page=1", 10),
    "admin_reviews_ms": timed(editor, "/admin/snippets/catalog/review/", 5),
    "admin_explorer_ms": timed(editor, f"/admin/pages/{index.pk}/", 5),
    "search_p50_ms": statistics.median(search_times[len(searches):]),
}))
"""


def scale_database_url(demo_url):
    if os.environ.get("SCALE_DATABASE_URL"):
        return os.environ["SCALE_DATABASE_URL"]
    if demo_url.startswith("postgres"):
        base, _, name = demo_url.rpartition("/")
        return f"{base}/{name}_scale"
    return f"sqlite:///{ROOT / 'bench' / 'scale.sqlite3'}"


def ensure_postgres_database(url):
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env, products, reviews):
    ensure_postgres_database(env["DATABASE_URL"])
    run.manage(env, "migrate", "--noinput", "-v0")
    # The scale database's demo product has 10,000 approved reviews (the demo's: 50).
    reviews_on_demo = {"BENCH_REVIEWS": str(DEMO_PRODUCT_REVIEWS if products else 50)}
    run.manage({**env, **reviews_on_demo}, "shell", "-c", run.PREPARE, capture=True)
    if products:
        have = run.manage(
            env,
            "shell",
            "-c",
            "from catalog.models import ProductPage; "
            "print(ProductPage.objects.filter(sku__startswith='GEN-').count())",
            capture=True,
        )
        missing = products - int(have.split()[-1])
        if missing > 0:
            run.manage(
                env, "generate_catalog", "--products", str(missing), "--reviews", str(reviews)
            )


def measure(env):
    output = run.manage(env, "shell", "-c", MEASURE, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def best(rounds):
    """Each number's best (lowest) value over the rounds; counts are taken as measured."""
    result = dict(rounds[0])
    for other in rounds[1:]:
        for key, value in other.items():
            if key.endswith("_ms"):
                result[key] = min(result[key], value)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    demo = run.server_env(0)
    demo["PAGE_CACHE_SECONDS"] = "0"
    big = {**demo, "DATABASE_URL": scale_database_url(demo["DATABASE_URL"])}
    run.manage(demo, "collectstatic", "--noinput", "-v0")  # production settings' manifest
    print("Preparing the demo database...", flush=True)
    prepare(demo, 0, 0)
    print(f"Preparing the scale database ({big['DATABASE_URL'].split('@')[-1]})...", flush=True)
    prepare(big, args.products, args.reviews)

    rounds = {"demo": [], "scale": []}
    for number in range(args.rounds):
        for name, env in (("demo", demo), ("scale", big)):
            print(f"Measuring {name} (round {number + 1})...", flush=True)
            rounds[name].append(measure(env))
    small, large = best(rounds["demo"]), best(rounds["scale"])
    checks = product_page_checks(small, large) + listing_checks(small, large)
    database = "PostgreSQL" if demo["DATABASE_URL"].startswith("postgres") else "SQLite"
    write_results(render(small, large, checks), database, args.rounds)
    return 0 if all(ok for *_, ok in checks) else 1


def product_page_checks(small, large):
    """(what, demo, scale, target, met) for the product page's time and queries."""
    checks = []
    for key, what in (("changed_product", "first view after a change"), ("product", "next views")):
        ratio = large[f"{key}_ms"] / small[f"{key}_ms"]
        checks += [
            (
                f"product page time, {what}",
                f"{small[f'{key}_ms']:.1f} ms",
                f"{large[f'{key}_ms']:.1f} ms ({ratio:.2f}×)",
                "≤ 1.2× the demo",
                ratio <= 1.2,
            ),
            (
                f"product page SQL queries, {what}",
                str(small[f"{key}_queries"]),
                str(large[f"{key}_queries"]),
                "the same",
                small[f"{key}_queries"] == large[f"{key}_queries"],
            ),
        ]
    return checks


def listing_checks(small, large):
    """(what, demo, scale, target, met) for the index, the admin listings and search."""

    def timed(name, key, target_ms, digits=0):
        demo, scale = small[key], large[key]
        return (
            name,
            f"{demo:.{digits}f} ms",
            f"{scale:.{digits}f} ms",
            f"< {target_ms} ms",
            scale < target_ms,
        )

    return [
        (
            "products index SQL queries (first, middle, last page)",
            ", ".join(map(str, small["index_queries"])),
            ", ".join(map(str, large["index_queries"])),
            "the same on every page",
            len(set(small["index_queries"] + large["index_queries"])) == 1,
        ),
        (
            "products index, last page against its first page",
            f"{small['index_ms']:.1f} ms against {small['index_first_ms']:.1f} ms",
            f"{large['index_ms']:.1f} ms against {large['index_first_ms']:.1f} ms "
            f"({large['index_ms'] / large['index_first_ms']:.2f}×)",
            "≤ 1.2× the first page",
            large["index_ms"] <= 1.2 * large["index_first_ms"],
        ),
        timed("admin review listing", "admin_reviews_ms", 1000),
        timed("admin page explorer (products index)", "admin_explorer_ms", 1000),
        timed("site search p50", "search_p50_ms", 200, digits=1),
    ]


def render(small, large, checks):
    lines = [
        f"| what | demo ({small['products']} products, {small['product_reviews']} reviews on "
        f"the product) | scale ({large['products']:,} products, {large['reviews']:,} reviews, "
        f"{large['product_reviews']:,} on the product) | target | met |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    lines += [f"| {w} | {a} | {b} | {t} | {'yes' if ok else 'NO'} |" for w, a, b, t, ok in checks]
    return "\n".join(lines)


def write_results(table, database, rounds):
    conditions = (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (shared), {database}, "
        f"production settings, full-page cache off, in-process requests, best of {rounds} "
        "alternating rounds (medians)."
    )
    print(f"\n{table}\n\n{conditions}")
    run.RESULTS.mkdir(exist_ok=True)
    (run.RESULTS / "scale.md").write_text(
        f"# make bench-scale: latest results\n\n{conditions}\n\n{table}\n"
    )


if __name__ == "__main__":
    sys.exit(main())
