"""Questionnaires written in the admin, and prescribers deciding, through the admin's own views."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from consultations.models import (
    Consultation,
    ConsultationStatus,
    Decision,
    Prescriber,
    Questionnaire,
)
from consultations.services import questionnaire_for
from tests.admin_forms import edit_url, list_block
from tests.consultations_helpers import (
    DETAILS,
    fine_answers,
    flagged_answers,
    live_questionnaire,
    prescriber,
)
from tests.factories import PackSizeFactory, ProductPageFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_consultations_questionnaire:add")
QUEUE_URL = reverse("consultations_admin:queue")


@pytest.fixture
def pom(product_index):
    product = ProductPageFactory(parent=product_index, title="Baclofen 40 mg", legal_status="pom")
    PackSizeFactory(page=product, quantity=30)
    PackSizeFactory(page=product, quantity=90)
    return product


def detail_url(consultation, action=""):
    name = f"consultations_admin:{action or 'detail'}"
    return reverse(name, args=[consultation.pk])


def yes_no(question, if_yes="", if_no="", stop_message=""):
    return (
        "yes_no",
        {
            "question": question,
            "help_text": "",
            "required": "on",
            "if_yes": if_yes,
            "if_no": if_no,
            "stop_message": stop_message,
        },
    )


def questionnaire_form(product, questions, action="action-publish", **fields):
    data = {
        "title": "Spasticity",
        "intro": "",
        "questions": streamfield(questions),
        "stop_message": "This medicine is not suitable to buy online: please see your GP.",
        **fields,
    }
    data = nested_form_data(data)
    data["products"] = [str(product.pk)]  # a multiple select: one value per product
    data[action] = action
    return data


QUESTIONS = [
    yes_no("Has a doctor diagnosed your spasticity?", if_no="stop"),
    yes_no("Are you pregnant or breastfeeding?", if_yes="attention"),
    (
        "one_of",
        {
            "question": "How often do you have spasms?",
            "help_text": "",
            "required": "on",
            "options": list_block(
                [{"label": "Daily", "flag": ""}, {"label": "Weekly", "flag": "attention"}]
            ),
            "stop_message": "",
        },
    ),
    (
        "number",
        {
            "question": "Your weight",
            "help_text": "",
            "required": "",
            "unit": "kg",
            "min_value": "",
            "max_value": "",
        },
    ),
    ("short_text", {"question": "Other medicines", "help_text": "", "required": ""}),
]


def submit_consultation(client, product, answers):
    client.post(f"/consultations/start/{product.pk}/", answers)
    client.post("/consultations/details/", DETAILS)
    client.post("/consultations/pack/", {"pack": ""})
    client.post("/consultations/review/")
    client.cookies.clear()
    return Consultation.objects.latest("pk")


@pytest.fixture
def consultation(client, pom):
    questionnaire = live_questionnaire(pom)
    return submit_consultation(client, pom, fine_answers(questionnaire))


# --- Writing a questionnaire ------------------------------------------------------------


def test_a_medical_reviewer_writes_and_publishes_a_questionnaire_with_a_stop_answer(
    client, medical_reviewer, pom
):
    client.force_login(medical_reviewer)
    assert client.get(ADD_URL).status_code == 200
    response = client.post(ADD_URL, questionnaire_form(pom, QUESTIONS))
    assert response.status_code == 302, response.context["form"].errors
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.live and questionnaire_for(pom) == questionnaire

    # The visitor meets the stop answer with the questionnaire's message.
    client.logout()
    first = questionnaire.questions[0]
    response = client.post(f"/consultations/start/{pom.pk}/", {f"q-{first.id}": "no"})
    assert "This medicine is not suitable to buy online: please see your GP." in (
        response.content.decode()
    )


def test_an_editor_submits_a_questionnaire_to_medical_sign_off(client, editor, pom):
    client.force_login(editor)
    html = client.get(ADD_URL).content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html
    response = client.post(ADD_URL, questionnaire_form(pom, QUESTIONS, action="action-submit"))
    assert response.status_code == 302, response.context["form"].errors
    questionnaire = Questionnaire.objects.get()
    assert not questionnaire.live
    state = WorkflowState.objects.for_instance(questionnaire).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Medical sign-off"
    assert questionnaire_for(pom) is None  # not asked until signed off
    assert client.get(f"/consultations/start/{pom.pk}/").status_code == 404


def test_bad_questionnaires_are_refused_with_the_reason(client, medical_reviewer, pom):
    client.force_login(medical_reviewer)
    same_options = (
        "several_of",
        {
            "question": "Which apply?",
            "help_text": "",
            "required": "on",
            "options": list_block(
                [{"label": "Epilepsy", "flag": ""}, {"label": "epilepsy", "flag": ""}]
            ),
            "stop_message": "",
        },
    )
    upside_down = (
        "number",
        {
            "question": "Your weight",
            "help_text": "",
            "required": "",
            "unit": "kg",
            "min_value": "10",
            "max_value": "5",
        },
    )
    response = client.post(ADD_URL, questionnaire_form(pom, [same_options, upside_down]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Two options have the same label." in html
    assert "The highest must not be below the lowest." in html
    assert not Questionnaire.objects.exists()


# --- Who sees consultations -------------------------------------------------------------


@pytest.mark.parametrize(
    "group, sees",
    [
        ("Editors", False),
        ("Medical reviewers", False),
        ("Review moderators", False),
        ("Prescribers", True),
    ],
)
def test_only_prescribers_and_superusers_see_consultations(client, consultation, group, sees):
    user = UserFactory(username="someone", groups=[group])
    client.force_login(user)
    for url in [QUEUE_URL, detail_url(consultation), detail_url(consultation, "export")]:
        response = client.get(url)
        if sees:
            assert response.status_code == 200
            assert consultation.reference in response.content.decode()
        else:
            assert response.status_code in (302, 403), url
    response = client.post(detail_url(consultation, "decline"), {"reason": "No."})
    assert (response.status_code in (302, 403)) != sees or sees
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.AWAITING_REVIEW
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (QUEUE_URL in menu) == sees


def test_a_superuser_sees_consultations(client, consultation, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@pharmacy.test", "x")
    client.force_login(admin)
    assert client.get(QUEUE_URL).status_code == 200


def test_prescribers_cannot_edit_pages_or_questionnaires(client, consultation, pom):
    client.force_login(prescriber())
    assert client.get(edit_url(pom)).status_code in (302, 403)
    assert client.get(ADD_URL).status_code in (302, 403)
    listing = reverse("wagtailsnippets_consultations_questionnaire:list")
    assert client.get(listing).status_code in (302, 403)
    profiles = reverse("wagtailsnippets_consultations_prescriber:list")
    assert client.get(profiles).status_code in (302, 403)
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    response = client.post(edit_url(pom), {"title": "Changed"})
    assert response.status_code in (302, 403)
    pom.refresh_from_db()
    assert pom.title == "Baclofen 40 mg"


# --- The queue --------------------------------------------------------------------------


def test_the_queue_puts_awaiting_review_first_oldest_first_and_highlights_flags(client, pom):
    questionnaire = live_questionnaire(pom)
    decided = submit_consultation(client, pom, fine_answers(questionnaire))
    old = submit_consultation(client, pom, flagged_answers(questionnaire))
    new = submit_consultation(client, pom, fine_answers(questionnaire))
    Consultation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    Consultation.objects.filter(pk=decided.pk).update(
        status=ConsultationStatus.DECLINED, created_at=timezone.now() - timedelta(days=5)
    )
    client.force_login(prescriber())
    html = client.get(QUEUE_URL).content.decode()
    assert html.index(old.reference) < html.index(new.reference) < html.index(decided.reference)
    assert "consultation-queue__row--flagged" in html
    assert html.count("consultation-queue__row consultation-queue__row--flagged") == 1

    detail = client.get(detail_url(old)).content.decode()
    assert "Needs your attention" in detail
    assert "consultation-answer--flagged" in detail


def test_the_queue_query_count_does_not_grow_with_consultations(client, pom):
    questionnaire = live_questionnaire(pom)
    submit_consultation(client, pom, fine_answers(questionnaire))
    client.force_login(prescriber())
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE_URL)
    for _ in range(3):
        submit_consultation(client, pom, fine_answers(questionnaire))
    client.force_login(Prescriber.objects.get().user)
    with CaptureQueriesContext(connection) as four:
        client.get(QUEUE_URL)
    assert len(four) == len(one)


# --- Decisions --------------------------------------------------------------------------


def test_a_prescriber_approves_90_tablets_and_the_decision_is_recorded(
    client, consultation, pom, django_capture_on_commit_callbacks
):
    user = prescriber()
    client.force_login(user)
    ninety = pom.pack_sizes.get(quantity=90)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(consultation, "approve"), {"pack": ninety.pk, "count": "1", "reason": ""}
        )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.APPROVED
    assert (consultation.prescribed_pack, consultation.prescribed_count) == (ninety, 1)
    decision = Decision.objects.get()
    assert decision.kind == "approved" and decision.prescriber_user == user
    assert (decision.registration_body, decision.registration_number) == ("gmc", "7654321")
    assert decision.pack_label == "90 tablets" and decision.count == 1
    # The approval makes an order, "prescribed", waiting for the pharmacist's check.
    from orders.models import Order

    order = Order.objects.get(consultation_reference=consultation.reference)
    assert order.status == "prescribed" and order.email == consultation.email
    assert [(line.pack_id, line.count) for line in order.lines.all()] == [(ninety.pk, 1)]
    # Two emails, the consultation's and the order's: neither names the medicine.
    consultation_email, order_email = sorted(mail.outbox, key=lambda e: order.reference in e.body)
    assert consultation.token in consultation_email.body
    assert order.status_token in order_email.body
    assert all("Baclofen" not in email.body for email in mail.outbox)
    html = client.get(detail_url(consultation)).content.decode()
    assert "<strong>Approved</strong> by Dr A. Khan (General Medical Council (GMC) 7654321)" in html
    status = client.get(f"/consultations/status/{consultation.token}/").content.decode()
    assert "1 × 90 tablets" in status
    # The patient's next step: the order the approval made, waiting for the pharmacist.
    assert f'<a href="/orders/{order.status_token}/">follow your order</a>' in status
    order_page = client.get(f"/orders/{order.status_token}/").content.decode()
    assert order.reference in order_page

    # Decided: a second decision is refused, and nothing deletes the first.
    response = client.post(detail_url(consultation, "decline"), {"reason": "Changed my mind."})
    assert response.status_code == 400
    assert "cannot be decided on now" in response.content.decode()
    with pytest.raises(ProtectedError):
        consultation.delete()


def test_a_prescriber_cannot_approve_their_own_consultation(client, consultation, pom):
    client.force_login(prescriber(email="SAM@example.com"))
    detail = client.get(detail_url(consultation)).content.decode()
    assert "another prescriber must approve it" in detail
    response = client.post(
        detail_url(consultation, "approve"), {"pack": pom.pack_sizes.first().pk, "count": "1"}
    )
    assert response.status_code == 400
    assert "This consultation has your own email address" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.AWAITING_REVIEW
    assert not Decision.objects.exists()


def test_a_prescriber_without_a_profile_cannot_decide(client, consultation):
    client.force_login(prescriber(profile=False))
    response = client.post(detail_url(consultation, "decline"), {"reason": "No."})
    assert response.status_code == 400
    assert "Your prescriber profile" in response.content.decode()
    assert not Decision.objects.exists()


def test_bad_decision_forms_show_their_errors(client, consultation, pom):
    client.force_login(prescriber())
    other_pack = PackSizeFactory()
    response = client.post(
        detail_url(consultation, "approve"), {"pack": other_pack.pk, "count": "0"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a number of packs from 1 to 99." in html
    assert "Select a valid choice" in html
    response = client.post(detail_url(consultation, "decline"), {"reason": ""})
    assert "Write the reason for declining" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_prescriber_asks_a_question_and_the_patient_answers_on_the_status_page(
    client, consultation
):
    user = prescriber()
    client.force_login(user)
    response = client.post(
        detail_url(consultation, "ask"), {"reason": "Which other medicines do you take?"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.QUESTION_ASKED

    client.logout()
    status_url = f"/consultations/status/{consultation.token}/"
    html = client.get(status_url).content.decode()
    assert "Which other medicines do you take?" in html
    response = client.post(status_url, {"reply": ""})
    assert "Write your answer to the prescriber" in response.content.decode()
    response = client.post(status_url, {"reply": "Only paracetamol now and then."})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.AWAITING_REVIEW
    assert "Awaiting a prescriber" in client.get(status_url).content.decode()

    client.force_login(user)
    html = client.get(detail_url(consultation)).content.decode()
    assert "Only paracetamol now and then." in html
    client.post(detail_url(consultation, "decline"), {"reason": "Interaction risk."})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.DECLINED
    assert list(consultation.decisions.values_list("kind", flat=True)) == ["question", "declined"]
    assert "Not approved" in client.get(status_url).content.decode()


# --- Roles, retention, demo -------------------------------------------------------------


def test_the_migration_creates_the_prescribers_group():
    group = Group.objects.get(name="Prescribers")
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "review_consultation",
    }


def test_purge_deletes_consultations_older_than_the_retention(client, pom):
    questionnaire = live_questionnaire(pom)
    old = submit_consultation(client, pom, fine_answers(questionnaire))
    kept = submit_consultation(client, pom, fine_answers(questionnaire))
    Decision.objects.create(
        consultation=old,
        kind="declined",
        prescriber_name="Dr A",
        registration_body="gmc",
        registration_number="1",
        reason="No.",
    )
    Consultation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=366 * 3)
    )
    out = StringIO()
    call_command("purge_consultations", "--older-than", "2", stdout=out)
    assert list(Consultation.objects.all()) == [kept]
    assert not Decision.objects.exists()
    assert "Deleted 1 consultation sent more than 2 years ago" in out.getvalue()


def test_the_demo_has_the_baclofen_questionnaire_and_a_prescriber(demo):
    questionnaire = questionnaire_for(demo)
    assert questionnaire is not None and questionnaire.live
    questions = [block.value["question"] for block in questionnaire.questions]
    assert "Has a doctor diagnosed your spasticity?" in questions
    assert "Are you pregnant or breastfeeding?" in questions
    assert "Do you take other medicines that make you sleepy?" in questions
    out = StringIO()
    call_command("ensure_demo_prescriber", stdout=out)
    assert "Username: prescriber" in out.getvalue()
    user = Prescriber.objects.get().user
    assert user.groups.filter(name="Prescribers").exists()
    again = StringIO()
    call_command("ensure_demo_prescriber", stdout=again)
    assert again.getvalue() == ""


def test_a_consultation_exports_as_json_for_an_access_request(client, consultation):
    client.force_login(prescriber())
    client.post(detail_url(consultation, "ask"), {"reason": "Since when?"})
    response = client.get(detail_url(consultation, "export"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{consultation.reference}.json"'
    )
    data = response.json()
    assert data["patient"]["name"] == "Sam Patel"
    assert data["patient"]["date_of_birth"] == "1980-03-27"
    assert data["answers"][0]["question"] == "Has a doctor diagnosed your spasticity?"
    assert data["decisions"][0]["reason"] == "Since when?"
    assert data["decisions"][0]["registration"] == "General Medical Council (GMC) 7654321"


def test_a_published_questionnaire_is_edited_as_a_new_revision(client, medical_reviewer, pom):
    questionnaire = live_questionnaire(pom)
    edit = reverse("wagtailsnippets_consultations_questionnaire:edit", args=[questionnaire.pk])
    client.force_login(medical_reviewer)
    assert client.get(edit).status_code == 200
    response = client.post(edit, questionnaire_form(pom, QUESTIONS, action="action-publish"))
    assert response.status_code == 302, response.context["form"].errors
    questionnaire.refresh_from_db()
    assert questionnaire.revisions.count() == 2
    assert [b.value["question"] for b in questionnaire.questions][0] == (
        "Has a doctor diagnosed your spasticity?"
    )
    assert (
        "How often do you have spasms?"
        in client.get(f"/consultations/start/{pom.pk}/").content.decode()
    )
