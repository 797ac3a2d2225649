import pytest

from tests.factories import HomePageFactory, ProductIndexPageFactory


@pytest.fixture
def home(db):
    return HomePageFactory()


@pytest.fixture
def product_index(home):
    return ProductIndexPageFactory(parent=home)
