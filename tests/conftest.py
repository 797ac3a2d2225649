import pytest
from django.core.cache import cache

from tests.factories import HomePageFactory, ProductIndexPageFactory, UserFactory

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
    yield
    cache.clear()


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
