import os
import uuid

import pytest
import redis
from django.core.cache import cache

from tests.factories import HomePageFactory, ProductIndexPageFactory, UserFactory
from website import throttle

pytest_plugins = ["tests.browser", "tests.varnish"]  # Playwright (browser, page); varnish


def skip_reason(report):
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_unconfigure(config):
    """A green run with browser or checker tests skipped must not look complete: its last line
    says which were skipped, why, and the command that installs what they need."""
    from tests.browser import MISSING_FROM_THE_SYSTEM  # registered as a plugin above

    terminalreporter = config.pluginmanager.get_plugin("terminalreporter")
    if terminalreporter is None:
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if skip_reason(report) in MISSING_FROM_THE_SYSTEM
    ]
    if skipped:
        names = sorted({report.nodeid.split("::")[0] for report in skipped})
        terminalreporter.write_line(
            f"{len(skipped)} tests NOT RUN ({', '.join(names)}): "
            f"{'; '.join(sorted(MISSING_FROM_THE_SYSTEM))}. "
            "Install what they need with: sudo make test-system",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def home(db):
    return HomePageFactory()


@pytest.fixture
def product_index(home):
    return ProductIndexPageFactory(parent=home)


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache (rate limits, site root paths)."""
    cache.clear()
    throttle.local_counts.clear()
    yield
    cache.clear()
    throttle.local_counts.clear()


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", groups=["Editors"])


@pytest.fixture
def medical_reviewer(db):
    return UserFactory(username="dr-rao", groups=["Medical reviewers"])


@pytest.fixture
def review_moderator(db):
    return UserFactory(username="molly", groups=["Review moderators"])


@pytest.fixture
def demo(db):
    """The demo catalogue (Home -> Products -> Baclofen 40 mg), as `make run` shows it."""
    from catalog.demo import load_demo
    from catalog.models import ProductPage

    load_demo()
    return ProductPage.objects.get(slug="baclofen-40-mg")


@pytest.fixture
def seed_mode(request, db):
    """The seed page's behaviour, one settings change away (docs/supply-rules.md): the customer
    sends a prescription, and prescription-only pages may be promoted (reviews, badges)."""
    from home.site_settings import PharmacySettings, PrescriptionOnlySupply

    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")  # the demo's settings first
    pharmacy = PharmacySettings.load()
    pharmacy.prescription_only_supply = PrescriptionOnlySupply.CUSTOMER_SENDS_PRESCRIPTION
    pharmacy.promote_prescription_only = True
    pharmacy.save()
    return pharmacy


REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# A Redis database for tests (shared machines: each checkout its own number).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def throttle_cache(settings, location):
    """Count throttles in a Redis cache of their own at `location`, under a fresh prefix."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # keys expire with their window
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    settings.THROTTLE_CACHE = "throttle"


@pytest.fixture
def redis_throttle(settings):
    """Throttles counted in a real Redis (TEST_REDIS_URL), as in production; skipped without one."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    throttle_cache(settings, TEST_REDIS_URL)


@pytest.fixture
def redis_down(settings):
    """Throttles counted in a Redis that refuses every connection (nothing listens on port 1)."""
    throttle_cache(settings, "redis://127.0.0.1:1/0")
