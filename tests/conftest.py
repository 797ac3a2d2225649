import pytest
from django.core.cache import cache

from tests.factories import HomePageFactory, ProductIndexPageFactory, UserFactory

pytest_plugins = ["tests.browser", "tests.varnish"]  # Playwright (browser, page); varnish


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
