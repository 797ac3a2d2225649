import pytest
from django.core.cache import cache

from tests.factories import HomePageFactory, ProductIndexPageFactory


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
