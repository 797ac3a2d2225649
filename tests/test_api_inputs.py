"""Whatever a client sends the read API, it answers JSON: data or a 400 that says why, never a 500."""

import pytest

from tests.factories import ProductCategoryFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

# Every parameter the API documents (Wagtail's own, and a filter for each database field).
PARAMETERS = [
    "limit",
    "offset",
    "fields",
    "order",
    "search",
    "search_operator",
    "rich_text_format",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
    "locale",
    "site",
    "format",
    "_",
    "id",
    "title",
    "slug",
    "first_published_at",
    "last_published_at",
    "show_in_menus",
    "seo_title",
    "search_description",
    "sku",
    "legal_status",
    "legal_status_label",
    "free_shipping",
    "last_reviewed",
    "categories",
    "pack_sizes",
    "html_url",
    "type",
    "unknown_parameter",
]
VALUES = [  # one of each kind a client could send: empty, text, numbers, dates, injections
    "",
    "abc",
    "-1",
    "1.5",
    "99999999999999999999",
    "nan",
    "2026-13-45",
    "\x00",
    "' OR 1=1 --",
    "title,,-",
    "x" * 5000,
]


@pytest.fixture
def products(product_index):
    category = ProductCategoryFactory(slug="allergy")
    product = ProductPageFactory(parent=product_index, sku="CET-10")
    product.categories.add(category)
    product.save()
    return product


def assert_json_answer(response):
    assert response.status_code in (200, 400, 404), (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 400:
        assert response.json()["message"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", PARAMETERS)
def test_any_value_of_any_parameter_is_answered_in_json(client, products, name, value):
    assert_json_answer(client.get("/api/v2/products/", {name: value}))


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", ["fields", "rich_text_format", "format"])
def test_detail_parameters(client, products, name, value):
    assert_json_answer(client.get(f"/api/v2/products/{products.pk}/", {name: value}))


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("name", ["id", "html_path"])
def test_find_parameters(client, products, name, value):
    response = client.get("/api/v2/products/find/", {name: value})
    if response.status_code == 302:
        return
    assert_json_answer(response)


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("operator", ["and", "or", "zzz", ""])
def test_search_with_any_operator(client, products, value, operator):
    assert_json_answer(
        client.get("/api/v2/products/", {"search": value or "x", "search_operator": operator})
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("offset=99999999999999999999", "offset"),
        ("limit=99999999999999999999", "limit"),
        ("search=x&search_operator=zzz", "search_operator"),
        ("first_published_at=abc", "first_published_at"),
        ("last_reviewed=2026-13-45", "last_reviewed"),
    ],
)
def test_the_inputs_that_used_to_answer_500(client, products, query, message):
    response = client.get(f"/api/v2/products/?{query}")
    assert response.status_code == 400
    assert message in response.json()["message"]


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_a_huge_or_unknown_id_is_not_found(client, products, pk):
    response = client.get(f"/api/v2/products/{pk}/")
    assert response.status_code == 404
