"""Editors authoring product pages through the Wagtail admin's own views and forms."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog.models import PackSize, ProductIndexPage, ProductPage
from home.models import HomePage
from tests.admin_forms import add_url, dosage, edit_url, overview, pack, product_form_data, uses
from tests.factories import HomePageFactory, PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def test_editor_creates_a_product_with_sections_and_pack_sizes(admin_client, product_index):
    data = product_form_data(
        body=[
            overview("About Baclofen", "<p>Eases <b>stiff</b> muscles.</p>"),
            uses("What it treats", ["Multiple sclerosis", "Spinal cord injury"]),
            dosage(
                "How to take it",
                "<p>With water.</p>",
                [{"when": "Week 1", "dose": "5 mg three times a day"}],
            ),
        ],
        packs=[pack(30, "24.00"), pack(90, "57.00", previous_price="60.00")],
        free_shipping="on",
    )
    response = admin_client.post(add_url(product_index), data)
    assert response.status_code == 302, response.context["form"].errors

    product = ProductPage.objects.get(slug="baclofen-10-mg")
    assert product.live and product.free_shipping
    assert [block.block_type for block in product.body] == ["overview", "uses", "dosage"]
    assert product.body[0].value["heading"] == "About Baclofen"
    assert "<b>stiff</b>" in product.body[0].value["text"].source
    assert list(product.body[1].value["conditions"]) == ["Multiple sclerosis", "Spinal cord injury"]
    assert product.body[2].value["schedule"][0]["dose"] == "5 mg three times a day"
    assert [(p.quantity, p.price, p.previous_price) for p in product.pack_sizes.all()] == [
        (30, Decimal("24.00"), None),
        (90, Decimal("57.00"), Decimal("60.00")),
    ]

    # ...and the visitor sees what the editor wrote.
    html = admin_client.get(product.url).content.decode()
    assert "About Baclofen" in html and "<li>Spinal cord injury</li>" in html


def test_editor_edits_prices_and_reorders_pack_sizes(admin_client, product_index):
    product = ProductPageFactory(
        parent=product_index, slug="baclofen-10-mg", title="Baclofen 10 mg", packs=[]
    )
    small = PackSizeFactory(page=product, quantity=30, price=Decimal("10.00"))
    large = PackSizeFactory(page=product, quantity=60, price=Decimal("18.00"))

    # Large first, small repriced and second.
    data = product_form_data(
        body=[overview("Overview", "<p>Text.</p>")],
        packs=[pack(60, "18.00", pk=large.pk), pack(30, "11.50", pk=small.pk)],
        initial_packs=2,
    )
    data["pack_sizes-0-ORDER"], data["pack_sizes-1-ORDER"] = "0", "1"
    response = admin_client.post(edit_url(product), data)
    assert response.status_code == 302, response.context["form"].errors

    packs = list(ProductPage.objects.get(pk=product.pk).pack_sizes.all())
    assert [(p.quantity, p.price) for p in packs] == [
        (60, Decimal("18.00")),
        (30, Decimal("11.50")),
    ]
    assert {p.pk for p in packs} == {small.pk, large.pk}  # edited in place, not recreated


def test_editor_deletes_a_pack_size(admin_client, product_index):
    product = ProductPageFactory(parent=product_index, slug="baclofen-10-mg", packs=[])
    keep = PackSizeFactory(page=product, quantity=30)
    drop = PackSizeFactory(page=product, quantity=60)
    data = product_form_data(
        packs=[pack(30, keep.price, pk=keep.pk), pack(60, drop.price, pk=drop.pk)], initial_packs=2
    )
    data["pack_sizes-1-DELETE"] = "1"
    response = admin_client.post(edit_url(product), data)
    assert response.status_code == 302
    assert list(PackSize.objects.filter(page=product).values_list("quantity", flat=True)) == [30]


@pytest.mark.parametrize(
    ("packs", "field", "message"),
    [
        ([pack(30, "-1.00")], "price", "greater than or equal to 0"),
        ([pack(0, "5.00")], "quantity", "greater than or equal to 1"),
        ([pack(30, "10.00", previous_price="9.00")], "previous_price", "must be higher"),
        ([pack(30, "abc")], "price", "Enter a number"),
    ],
)
def test_invalid_pack_sizes_are_rejected_with_a_clear_error(
    admin_client, product_index, packs, field, message
):
    response = admin_client.post(add_url(product_index), product_form_data(packs=packs))
    assert response.status_code == 200  # the form again, not a redirect
    formset = response.context["form"].formsets["pack_sizes"]
    errors = " ".join(str(e) for form in formset.forms for e in form.errors.get(field, []))
    assert message in errors
    assert message in response.content.decode()
    assert not ProductPage.objects.filter(slug="baclofen-10-mg").exists()


def test_two_packs_of_one_quantity_are_refused_by_the_constraint_with_a_clear_error(
    admin_client, product_index
):
    data = product_form_data(packs=[pack(30, "10.00"), pack(30, "12.00")])
    response = admin_client.post(add_url(product_index), data)
    assert response.status_code == 200  # the form again, what was typed kept
    html = response.content.decode()
    assert "Two packs have the same quantity: each pack size needs its own quantity." in html
    assert "Another pack already has this quantity: change one of them." in html
    assert 'value="12.00"' in html
    assert not ProductPage.objects.filter(slug="baclofen-10-mg").exists()


def test_the_database_refuses_two_packs_of_one_quantity(product_index):
    product = ProductPageFactory(parent=product_index, packs=[])
    PackSizeFactory(page=product, quantity=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        PackSizeFactory(page=product, quantity=30)
    PackSizeFactory(page=ProductPageFactory(parent=product_index, packs=[]), quantity=30)


def test_editor_swaps_two_pack_quantities(admin_client, product_index):
    product = ProductPageFactory(parent=product_index, slug="baclofen-10-mg", packs=[])
    small = PackSizeFactory(page=product, quantity=30, price=Decimal("10.00"))
    large = PackSizeFactory(page=product, quantity=60, price=Decimal("18.00"))
    data = product_form_data(
        body=[overview("Overview", "<p>Text.</p>")],
        packs=[pack(60, "10.00", pk=small.pk), pack(30, "18.00", pk=large.pk)],
        initial_packs=2,
    )
    response = admin_client.post(edit_url(product), data)
    assert response.status_code == 302, response.context["form"].errors
    packs = ProductPage.objects.get(pk=product.pk).pack_sizes.all()
    assert sorted((p.quantity, p.price) for p in packs) == [
        (30, Decimal("18.00")),
        (60, Decimal("10.00")),
    ]


def test_product_pages_only_under_a_product_index(admin_client, product_index):
    home = HomePage.objects.get(pk=product_index.get_parent().pk)
    assert ProductPage.can_create_at(product_index)
    assert not ProductPage.can_create_at(home)
    assert not ProductIndexPage.can_create_at(product_index)
    assert ProductIndexPage.can_create_at(HomePageFactory())
    assert not HomePage.can_create_at(product_index)
    # The admin refuses too, rather than creating a misplaced page.
    response = admin_client.get(add_url(home))
    assert response.status_code in (302, 403)
    assert not ProductPage.objects.child_of(home).exists()


def test_a_second_product_index_under_the_same_home_is_not_offered(product_index):
    assert not ProductIndexPage.can_create_at(product_index.get_parent().specific)


def test_edit_view_shows_the_tabs_and_help_text(admin_client, product_index):
    product = ProductPageFactory(parent=product_index)
    html = admin_client.get(edit_url(product)).content.decode()
    for tab in ["Content", "Product", "Review", "Promote"]:
        assert f">{tab}<" in html or f"{tab}\n" in html
    assert "Used in product listings" in html
    assert "Leave blank if there is none" in html


@pytest.mark.parametrize("block_type", ["overview", "uses", "dosage", "side_effects", "warning"])
def test_block_previews_render_with_the_site_stylesheet(admin_client, block_type):
    from catalog.blocks import ProductBodyBlock

    block = ProductBodyBlock().child_blocks[block_type]
    assert block.meta.description and block.meta.icon
    response = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/site.css" in html
    assert block.meta.preview_value.get("heading", block.meta.preview_value.get("title")) in html


def test_copying_a_product_in_the_admin_keeps_its_packs_but_not_its_sku(
    admin_client, product_index
):
    original = ProductPageFactory(parent=product_index, sku="BAC-40", packs=[30, 60])
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=(original.pk,)),
        {
            "new_title": "Baclofen 40 mg (copy)",
            "new_slug": "baclofen-40-mg-copy",
            "new_parent_page": str(product_index.pk),
            "copy_subpages": "",
            "publish_copies": "",
            "alias": "",
        },
    )
    assert response.status_code == 302
    copy = ProductPage.objects.get(slug="baclofen-40-mg-copy")
    assert copy.sku == ""  # SKUs are unique: the copy must not reuse the original's
    assert [p.quantity for p in copy.pack_sizes.all()] == [30, 60]
    assert ProductPage.objects.get(pk=original.pk).sku == "BAC-40"
