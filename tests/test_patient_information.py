"""Patient-information blocks, the Medicine tab, leaflets and standard texts, as editors
make them in the admin's own forms and as visitors see them."""

import json
import re
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalog.demo import BACLOFEN_SEED_BODY
from catalog.models import ActiveIngredient, ProductPage, StandardText
from tests import admin_forms as form
from tests.factories import ProductPageFactory, section_blocks
from tests.test_product_page import warm_process_caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def snippet(db):
    text = StandardText.objects.create(
        title="Keep out of reach", text="<p>Keep this medicine out of the sight and reach.</p>"
    )
    text.save_revision()
    return text


def every_new_block(snippet, linked=None):
    return [
        form.key_facts(["It eases pain.", "It can upset your stomach.", "Read the leaflet."]),
        form.who_can_take(
            "<p>Most adults.</p>", ["You are allergic to it"], ["You have liver problems"]
        ),
        form.how_to_take(
            "<p>Take the dose on the pack.</p>",
            [{"when": "Each day", "dose": "As the pack says"}],
            food="With or without food",
        ),
        form.side_effect_frequencies(
            [("Feeling sick", "common"), ("Headache", "uncommon")],
            [("Swollen throat", "emergency"), ("Yellow skin", "urgent")],
        ),
        form.care_card("urgent", ["You took too much"], "<p>Even if you feel well.</p>"),
        form.interactions(
            [("Alcohol", "More drowsiness", None), ("Baclofen", "Both sedate", linked)]
        ),
        form.pregnancy("<p>Ask first if pregnant.</p>", "<p>Ask before breastfeeding.</p>"),
        form.storage("<p>Store below the pack's limit.</p>", "<p>Return to a pharmacy.</p>"),
        form.ingredients(
            "Each tablet has the active.", [("Maize starch", False), ("Lactose", True)]
        ),
        form.common_questions([("Can I drive?", "<p>Not if you feel sleepy.</p>")]),
        form.standard_text(snippet),
    ]


def create_through_the_admin(client, index, body, **fields):
    data = form.product_form_data(body=body, title="Painaway 500 mg", slug="painaway", **fields)
    response = client.post(form.add_url(index), data)
    assert response.status_code == 302, response.context["form"].errors
    return ProductPage.objects.get(slug="painaway")


def test_every_new_block_made_in_the_admin_shows_on_the_page(
    client, medical_reviewer, product_index, snippet
):
    linked = ProductPageFactory(parent=product_index, title="Baclofen 10 mg")
    client.force_login(medical_reviewer)
    page = create_through_the_admin(client, product_index, every_new_block(snippet, linked))
    client.logout()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    text = " ".join(soup.get_text(" ").split())

    contents = [a.get_text() for a in soup.select(".contents a")]
    assert contents == [
        "Key facts",
        "Who can and cannot take it",
        "How and when to take it",
        "Side effects",
        "Interactions",
        "Pregnancy, breastfeeding and fertility",
        "Storage and disposal",
        "Ingredients",
        "Common questions",
    ]
    assert [li.get_text() for li in soup.select(".key-facts li")][0] == "It eases pain."
    assert "Do not take it if: You are allergic to it" in text
    assert (
        "Check with your doctor or pharmacist before taking it if: You have liver problems" in text
    )
    for heading in ["If you forget a dose", "If you take too much", "If you want to stop"]:
        assert soup.find("h3", string=heading)
    assert "With or without food: With or without food" in text
    assert (
        soup.find("h3", string=re.compile(r"^Common \(may affect up to 1 in 10"))
        .find_next("li")
        .get_text()
        == "Feeling sick"
    )
    assert soup.find("h3", string=re.compile(r"^Uncommon"))
    emergency = soup.select_one(".section--side-effect-frequencies .care-card--emergency")
    assert "Call 999 or go to A&E now if:" in emergency.get_text()
    assert "Swollen throat" in emergency.get_text()
    card = soup.select_one("aside.care-card--urgent")
    assert card["aria-label"] == "Urgent advice"
    assert (
        "Call 111 or your doctor now if:" in card.get_text()
        and "You took too much" in card.get_text()
    )
    link = soup.select_one(".interactions a")
    assert link.get_text() == "Baclofen" and link["href"] == linked.url
    assert soup.find("h3", string="Breastfeeding")
    assert soup.find("h3", string="Disposal")
    allergen = soup.select_one(".ingredients .allergen")
    assert allergen.get_text(" ", strip=True) == "Lactose (allergen)"
    question = soup.select_one("details.question")
    assert question.summary.get_text() == "Can I drive?"
    assert "Not if you feel sleepy." in question.get_text()
    assert (
        "Keep this medicine out of the sight and reach."
        in soup.select_one(".standard-text").get_text()
    )


def test_an_interaction_links_only_to_a_published_product(
    client, medical_reviewer, product_index, snippet
):
    linked = ProductPageFactory(parent=product_index, title="Baclofen 10 mg")
    client.force_login(medical_reviewer)
    page = create_through_the_admin(
        client, product_index, [form.interactions([("Baclofen", "Both sedate", linked)])]
    )
    linked.unpublish()
    client.logout()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert soup.select_one(".interactions th[scope=row]").get_text() == "Baclofen"
    assert not soup.select(".interactions a")


def test_blocks_with_missing_required_parts_are_refused_with_a_message(
    client, medical_reviewer, product_index
):
    client.force_login(medical_reviewer)
    too_few = form.key_facts(["Only one fact"])
    no_missed_dose = form.how_to_take("<p>Dose.</p>")
    no_missed_dose[1]["missed_dose"] = "null"  # the editor left it empty, as Draftail posts it
    data = form.product_form_data(body=[too_few, no_missed_dose], slug="x")
    response = client.post(form.add_url(product_index), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The minimum number of items is 3" in html
    [error] = response.context["form"].errors["body"].as_data()
    facts_error, dose_error = error.block_errors[0], error.block_errors[1]  # by block position
    assert "The minimum number of items is 3" in str(facts_error.as_json_data())
    assert dose_error.block_errors["missed_dose"].messages == ["This field is required."]
    assert not ProductPage.objects.filter(slug="x").exists()


def test_editing_a_standard_text_changes_every_page_and_its_usage_lists_them(
    client, admin_client, medical_reviewer, product_index, snippet
):
    client.force_login(medical_reviewer)
    page = create_through_the_admin(client, product_index, [form.standard_text(snippet)])
    assert "sight and reach." in client.get(page.url).content.decode()

    edit = reverse("wagtailsnippets_catalog_standardtext:edit", args=(snippet.pk,))
    data = nested_form_data(
        {"title": snippet.title, "text": rich_text("<p>Store it where children cannot see it.</p>")}
    )
    assert admin_client.post(edit, data).status_code == 302
    assert snippet.revisions.count() == 2  # the edit is a revision, in the snippet's history
    client.logout()
    assert "where children cannot see it." in client.get(page.url).content.decode()

    usage = admin_client.get(
        reverse("wagtailsnippets_catalog_standardtext:usage", args=(snippet.pk,))
    )
    assert "Painaway 500 mg" in usage.content.decode()


# --- The Medicine tab --------------------------------------------------------------------


def medicine_fields(ingredient, **overrides):
    fields = {
        "ingredients": inline_formset([form.ingredient_row(ingredient, 500)]),
        "dosage_form": "tablet",
        "administration_route": "oral",
        "non_proprietary_name": "Paracetamol",
        "is_proprietary": "false",
        "licence_number": "PL 12345/0001",
        "marketing_authorisation_holder": "Example Pharma Ltd",
        "additional_monitoring": "on",
        "atc_code": "N02BE01",
        "max_daily_dose": "",
        "max_daily_dose_unit": "mg",
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("licence_number", "12345/0001", "e.g. &#x27;PL 12345/0001&#x27;"),
        ("licence_number", "PL 1234/0001", "e.g. &#x27;PL 12345/0001&#x27;"),
        ("atc_code", "m03bx01", "An ATC code looks like"),
        ("atc_code", "M3BX01", "An ATC code looks like"),
    ],
)
def test_licence_number_and_atc_code_are_validated(
    client, medical_reviewer, product_index, field, value, message
):
    ingredient = ActiveIngredient.objects.create(name="Paracetamol")
    client.force_login(medical_reviewer)
    data = form.product_form_data(slug="y", **medicine_fields(ingredient, **{field: value}))
    response = client.post(form.add_url(product_index), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProductPage.objects.filter(slug="y").exists()


def test_medicine_facts_show_in_a_panel_the_api_and_the_json_ld(
    client, medical_reviewer, product_index
):
    ingredient = ActiveIngredient.objects.create(name="Paracetamol")
    client.force_login(medical_reviewer)
    page = create_through_the_admin(client, product_index, [], **medicine_fields(ingredient))
    client.logout()
    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.select_one(".medicine-facts")
    facts = dict(
        zip(
            [dt.get_text(" ", strip=True) for dt in panel.select("dt")],
            [dd.get_text(" ", strip=True) for dd in panel.select("dd")],
            strict=False,
        )
    )
    assert facts["Active ingredient"] == "Paracetamol 500 mg"
    assert facts["Form"] == "Tablet" and facts["How it is given"] == "By mouth"
    assert facts["Licence number"] == "PL 12345/0001"
    assert facts["Licence holder"] == "Example Pharma Ltd"
    assert facts["ATC code"] == "N02BE01"
    assert "▼ This medicine is under additional monitoring" in panel.get_text()

    [script] = soup.find_all("script", type="application/ld+json")
    drug = next(n for n in json.loads(script.string)["@graph"] if "Drug" in n["@type"])
    assert drug["activeIngredient"] == "Paracetamol"
    assert drug["availableStrength"] == {
        "@type": "DrugStrength",
        "activeIngredient": "Paracetamol",
        "strengthValue": 500,
        "strengthUnit": "mg",
    }
    assert drug["dosageForm"] == "tablet" and drug["administrationRoute"] == "oral"
    assert drug["nonProprietaryName"] == "Paracetamol" and drug["isProprietary"] is False

    api = client.get(f"/api/v2/products/{page.pk}/").json()["medicine"]
    assert api["ingredients"] == [{"name": "Paracetamol", "strength": "500", "unit": "mg"}]
    assert api["licence_number"] == "PL 12345/0001" and api["additional_monitoring"] is True


def test_without_facts_there_is_no_panel_and_no_drug_properties(client, product_index):
    page = ProductPageFactory(parent=product_index)
    html = client.get(page.url).content.decode()
    assert "medicine-facts" not in html
    assert '"activeIngredient"' not in html and '"dosageForm"' not in html


def test_the_leaflet_is_linked_with_its_type_size_and_revision_date(client, product_index):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    leaflet = Document(title="Painaway leaflet")
    leaflet.file.save("painaway.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 245_751), save=False)
    leaflet.file_size = 245_760
    leaflet.save()
    page = ProductPageFactory(
        parent=product_index, leaflet=leaflet, leaflet_revised=date(2026, 3, 2)
    )
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    item = soup.select_one(".documents li")
    assert " ".join(item.get_text(" ").split()) == (
        "Patient information leaflet (Painaway leaflet) , PDF, 240 KB, revised March 2026"
    )
    assert item.a["href"] == leaflet.url


# --- The seed and the query budget -------------------------------------------------------


def test_the_seed_page_still_renders_with_exactly_its_sections(client, product_index):
    page = ProductPageFactory(parent=product_index, title="Baclofen 40 mg", body=BACLOFEN_SEED_BODY)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert [a.get_text() for a in soup.select(".contents a")] == [
        "Understanding Baclofen 40 mg",
        "How it works",
        "Uses and indications",
        "Efficacy and benefits",
        "Dosage and administration",
        "Side effects and precautions",
        "Interactions",
        "In summary",
    ]
    assert len(soup.select(".product__body > section")) == 8
    assert soup.select_one(".callout--warning")


def raw_new_blocks(snippet):
    """Every new block as a StreamField value, for factories."""
    from catalog.demo_sections import paracetamol_body

    texts = {
        t: snippet
        for t in [
            "Keep out of reach of children",
            "Disposal of unused medicines",
            "Ask your pharmacist",
        ]
    }
    return paracetamol_body(texts)


def views(client, page):
    counts = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_new_blocks_add_no_queries_to_the_product_page(client, product_index, snippet):
    old = ProductPageFactory(parent=product_index, body=section_blocks(10), packs=[16])
    new = ProductPageFactory(
        parent=product_index, body=[*section_blocks(10), *raw_new_blocks(snippet)], packs=[16]
    )
    twice = ProductPageFactory(
        parent=product_index,
        body=[*section_blocks(10), *raw_new_blocks(snippet), *raw_new_blocks(snippet)],
        packs=[16],
    )
    warm_process_caches(client, product_index)
    old_counts = views(client, old)
    new_counts = views(client, new)
    # The standard-text blocks share one query (all three snippets together) on every view
    # (no per-process copies of rows); nothing else, however many blocks.
    assert new_counts == [count + 1 for count in old_counts]
    assert views(client, twice) == new_counts
