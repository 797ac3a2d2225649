"""Readiness checks before medical sign-off: the functions, then the editor and the reviewer."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from wagtail.models import PageLogEntry

from catalog import readiness
from catalog.models import ActiveIngredient, ProductPage
from catalog.signoff import OVERRIDE
from tests.admin_forms import (
    add_url,
    edit_url,
    product_form_data,
    ready_for_sign_off,
)

TODAY = date(2026, 12, 3)
ALL_SECTIONS = [
    ("who_can_take", {}),
    ("how_to_take", {"schedule": []}),
    ("side_effect_frequencies", {}),
    ("interactions", {}),
    ("storage", {}),
]


def page(**fields):
    defaults = dict(
        title="Baclofen 40 mg",
        legal_status="pom",
        dosage_form="tablet",
        max_daily_dose=None,
        max_daily_dose_unit="mg",
        next_review_due=date(2027, 3, 1),
        last_reviewed=date(2026, 3, 1),
        leaflet_revised=None,
    )
    defaults.update(fields)
    result = SimpleNamespace(**defaults)
    result.get_dosage_form_display = lambda: result.dosage_form.capitalize()
    return result


def draft(blocks=ALL_SECTIONS, strengths=((40, "mg"),), packs=("tablets",), **fields):
    return readiness.Draft(
        page=page(**fields),
        blocks=list(blocks),
        ingredients=[SimpleNamespace(strength=Decimal(s), unit=u) for s, u in strengths],
        packs=[SimpleNamespace(quantity=30 * (i + 1), unit=u) for i, u in enumerate(packs)],
        today=TODAY,
    )


def test_a_complete_page_passes_every_check():
    assert [r.name for r in readiness.run_checks(draft()) if not r.passed] == []


@pytest.mark.parametrize("legal_status", ["pom", "p"])
def test_prescription_and_pharmacy_medicines_need_the_core_sections(legal_status):
    result = readiness.required_sections(draft(blocks=[("storage", {})], legal_status=legal_status))
    assert not result.passed
    assert result.problems == [
        "Add a 'Who can and cannot take it' section.",
        "Add a 'How and when to take it' section.",
        "Add a 'Side effects' section.",
        "Add a 'Interactions' section.",
    ]


def test_general_sale_medicines_need_only_storage_and_older_blocks_count():
    assert readiness.required_sections(draft(blocks=[("storage", {})], legal_status="gsl")).passed
    assert not readiness.required_sections(draft(blocks=[], legal_status="gsl")).passed
    older = [("who_can_take", {}), ("dosage", {}), ("side_effects", {}), ("interactions", {})]
    assert readiness.required_sections(draft(blocks=[*older, ("storage", {})])).passed


def test_title_strength_must_match_the_structured_strength():
    result = readiness.strength_agrees(draft(strengths=[(10, "mg")]))
    assert not result.passed
    assert result.problems == ["The title says 40 mg, the Medicine tab says 10 mg."]
    assert readiness.strength_agrees(draft(strengths=[(Decimal("40.000"), "mg")])).passed
    assert not readiness.strength_agrees(draft(strengths=[(40, "microgram")])).passed


def test_a_missing_strength_and_a_pack_unit_that_is_not_the_form_fail():
    assert readiness.strength_agrees(draft(strengths=[])).problems == [
        "Add the active ingredient and its strength on the Medicine tab."
    ]
    result = readiness.strength_agrees(draft(packs=["tablets", "capsules"]))
    assert result.problems == [
        "The pack of 60 is counted in 'capsules', but the dosage form is tablet."
    ]
    # Forms sold by volume have no pack word to compare.
    assert readiness.strength_agrees(draft(packs=["bottles"], dosage_form="oral solution")).passed


@pytest.mark.parametrize(
    "dose, daily",
    [
        ("5 mg three times a day", (Decimal(15), "mg")),
        ("20 mg twice a day", (Decimal(40), "mg")),
        ("2.5 mg", (Decimal("2.5"), "mg")),
        ("10 mg 4 times a day", (Decimal(40), "mg")),
        ("As your prescriber says", None),
    ],
)
def test_daily_amount_reads_numeric_doses(dose, daily):
    assert readiness.daily_amount(dose) == daily


def schedule(*doses):
    return [("how_to_take", {"schedule": [{"when": "Week 1", "dose": d} for d in doses]})]


def test_a_numeric_dose_above_the_maximum_daily_dose_fails():
    over = draft(blocks=schedule("30 mg three times a day"), max_daily_dose=Decimal(80))
    result = readiness.dose_within_maximum(over)
    assert not result.passed
    assert result.problems == [
        "'Week 1: 30 mg three times a day' is 90 mg a day, more than the maximum daily dose "
        "of 80 mg."
    ]
    within = draft(blocks=schedule("20 mg four times a day"), max_daily_dose=Decimal(80))
    assert readiness.dose_within_maximum(within).passed


def test_a_numeric_dose_needs_a_maximum_and_words_need_none():
    assert not readiness.dose_within_maximum(draft(blocks=schedule("5 mg"))).passed
    assert readiness.dose_within_maximum(draft(blocks=schedule("As prescribed"))).passed


def test_review_dates_must_be_set_and_in_the_future():
    assert readiness.review_dates(draft(next_review_due=None)).problems == [
        "Set the next review date."
    ]
    assert not readiness.review_dates(draft(next_review_due=TODAY)).passed
    assert readiness.review_dates(draft(next_review_due=date(2026, 12, 4))).passed


def test_a_leaflet_revised_after_the_last_review_asks_for_a_re_review():
    result = readiness.review_dates(draft(leaflet_revised=date(2026, 6, 1)))
    assert not result.passed and "re-review" in result.problems[0]
    assert readiness.review_dates(draft(leaflet_revised=date(2026, 3, 1))).passed


# --- In the admin ------------------------------------------------------------------------


@pytest.fixture
def baclofen(db):
    return ActiveIngredient.objects.create(name="Baclofen")


@pytest.mark.django_db
def test_the_editor_sees_each_check_on_the_edit_page(client, editor, product_index):
    from tests.factories import ProductPageFactory

    page = ProductPageFactory(parent=product_index, title="Baclofen 10 mg", legal_status="pom")
    client.force_login(editor)
    html = client.get(edit_url(page)).content.decode()
    assert "Ready for medical sign-off?" in html
    assert "Failed:</strong> Required sections are present" in html
    assert "Add a &#x27;Who can and cannot take it&#x27; section." in html
    assert 'href="#tab-medicine"' in html  # where the strength is fixed
    assert "Failed:</strong> Review dates are current" in html


@pytest.mark.django_db
def test_submitting_a_page_that_fails_a_check_is_refused_and_keeps_what_was_typed(
    client, editor, product_index, baclofen
):
    client.force_login(editor)
    fields = ready_for_sign_off(baclofen, strength=40)  # the title says 10 mg
    data = product_form_data(publish=False, **fields)
    data["action-submit"] = "action-submit"
    response = client.post(add_url(product_index), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not ready for medical sign-off: strength and packs agree." in html
    assert "The title says 10 mg, the Medicine tab says 40 mg." in html
    assert "Relaxes stiff muscles." in html  # nothing typed is lost
    assert not ProductPage.objects.filter(slug="baclofen-10-mg").exists()

    # Saving a draft is not a submission: the checks do not stop it.
    draft_data = product_form_data(publish=False, **fields)
    assert client.post(add_url(product_index), draft_data).status_code == 302


@pytest.mark.django_db
def test_a_reviewer_may_approve_a_failing_page_only_with_a_reason_in_its_history(
    client, editor, medical_reviewer, product_index, baclofen
):
    from django.urls import reverse

    client.force_login(editor)
    data = product_form_data(publish=False, **ready_for_sign_off(baclofen))
    data["action-submit"] = "action-submit"
    assert client.post(add_url(product_index), data).status_code == 302
    page = ProductPage.objects.get(slug="baclofen-10-mg")

    # The checks fail after submission: a new, numeric dose beyond a maximum it now has.
    changed = page.get_latest_revision_as_object()
    changed.max_daily_dose = Decimal(20)
    changed.body.append(
        (
            "dosage",
            {
                "heading": "Dosage",
                "text": "<p>Take it.</p>",
                "schedule": [{"when": "Week 1", "dose": "10 mg three times a day"}],
            },
        )
    )
    changed.save_revision(user=editor)
    task_state = page.current_workflow_task_state
    task_state.revision = changed.latest_revision
    task_state.save()

    client.force_login(medical_reviewer)
    html = client.get(edit_url(page)).content.decode()
    assert "Approve despite failing checks" in html
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    client.post(approve, {})  # plain "Approve" is not offered: the admin refuses it
    page.refresh_from_db()
    assert not page.live
    override = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, OVERRIDE, task_state.pk)
    )
    client.post(override, {"comment": "   "})
    page.refresh_from_db()
    assert not page.live

    client.post(override, {"comment": "Dose confirmed with the prescriber's protocol."})
    page.refresh_from_db()
    assert page.live
    entry = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").get()
    assert entry.comment == (
        "Approved although readiness checks failed. Reason: Dose confirmed with the "
        "prescriber's protocol."
    )
    assert entry.user == medical_reviewer
