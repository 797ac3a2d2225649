"""A visitor's consultation, step by step, through the public views."""

import pytest
from django.core import mail

from consultations.models import Consultation, ConsultationDraft, ConsultationStatus
from consultations.questions import field_name
from tests.consultations_helpers import (
    DETAILS,
    fine_answers,
    flagged_answers,
    live_questionnaire,
    stop_answers,
)
from tests.factories import PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pom(product_index):
    product = ProductPageFactory(parent=product_index, title="Baclofen 40 mg", legal_status="pom")
    PackSizeFactory(page=product, quantity=30)
    PackSizeFactory(page=product, quantity=90)
    return product


@pytest.fixture
def questionnaire(pom):
    return live_questionnaire(pom)


def start_url(product):
    return f"/consultations/start/{product.pk}/"


def through_to_review(client, pom, questionnaire, answers=None, pack=None):
    response = client.post(start_url(pom), answers or fine_answers(questionnaire))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/consultations/details/"
    response = client.post("/consultations/details/", DETAILS)
    assert response.status_code == 302, response.content.decode()
    response = client.post("/consultations/pack/", {"pack": pack.pk if pack else ""})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/consultations/review/"


def test_a_visitor_answers_gives_details_and_sends_it(client, pom, questionnaire):
    page = client.get(start_url(pom))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Has a doctor diagnosed your spasticity?" in html
    assert 'aria-current="step"' in html
    assert page["Cache-Control"] == "private, no-store"
    ninety = pom.pack_sizes.get(quantity=90)
    through_to_review(client, pom, questionnaire, pack=ninety)
    review = client.get("/consultations/review/").content.decode()
    assert "Sam Patel" in review and "90 tablets" in review
    assert "Are you pregnant or breastfeeding?" in review

    response = client.post("/consultations/review/")
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/consultations/status/{consultation.token}/"
    assert len(consultation.token) >= 40
    assert consultation.status == ConsultationStatus.AWAITING_REVIEW
    assert consultation.preferred_pack == ninety
    assert (consultation.name, consultation.email) == ("Sam Patel", "sam@example.com")
    assert consultation.answers.count() == 7
    assert not consultation.has_flags
    assert not ConsultationDraft.objects.exists()
    status = client.get(response["Location"]).content.decode()
    assert "Awaiting a prescriber" in status
    assert consultation.reference in status


def test_the_patient_email_is_sent_after_commit_without_health_details(
    client, pom, questionnaire, django_capture_on_commit_callbacks
):
    through_to_review(client, pom, questionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/consultations/review/")
    [email] = mail.outbox
    consultation = Consultation.objects.get()
    assert email.to == ["sam@example.com"]
    assert consultation.token in email.body
    for private in ["Baclofen", "spasticity", "pregnant", "Sam Patel"]:
        assert private not in email.body and private not in email.subject


def test_flagged_answers_mark_the_consultation(client, pom, questionnaire):
    through_to_review(client, pom, questionnaire, answers=flagged_answers(questionnaire))
    client.post("/consultations/review/")
    consultation = Consultation.objects.get()
    assert consultation.has_flags
    flagged = consultation.answers.get(question="Are you pregnant or breastfeeding?")
    assert (flagged.answer, flagged.flag) == ("Yes", "attention")


def test_a_stop_answer_ends_with_its_message_and_keeps_nothing(client, pom, questionnaire):
    response = client.post(start_url(pom), stop_answers(questionnaire))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Baclofen is only for spasticity a doctor has diagnosed." in html
    assert not ConsultationDraft.objects.exists()
    assert not Consultation.objects.exists()


def test_answers_are_kept_when_the_visitor_goes_back(client, pom, questionnaire):
    through_to_review(client, pom, questionnaire)
    again = client.get(start_url(pom)).content.decode()
    name = field_name(questionnaire.questions[6])
    assert f'name="{name}" value="70"' in again
    details = client.get("/consultations/details/").content.decode()
    assert 'value="Sam Patel"' in details and 'value="27/03/1980"' in details


def test_missing_answers_are_shown_beside_each_question(client, pom, questionnaire):
    answers = fine_answers(questionnaire)
    first = field_name(questionnaire.questions[0])
    weight = field_name(questionnaire.questions[6])
    del answers[first]
    answers[weight] = "seventy"
    response = client.post(start_url(pom), answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose an answer." in html
    assert "Enter a number (kg)." in html
    assert 'value="seventy"' in html  # nothing typed is lost
    assert not ConsultationDraft.objects.exists()


def test_bad_details_are_shown_beside_the_fields(client, pom, questionnaire):
    client.post(start_url(pom), fine_answers(questionnaire))
    bad = {**DETAILS, "email": "not-an-email", "date_of_birth": "31/02/1980", "phone": "call me"}
    response = client.post("/consultations/details/", bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address like name@example.com." in html
    assert "Enter your date of birth as day/month/year" in html
    assert "Enter a phone number using digits" in html
    assert 'value="Sam Patel"' in html and 'value="not-an-email"' in html


def test_a_bad_pack_choice_is_refused(client, pom, questionnaire):
    client.post(start_url(pom), fine_answers(questionnaire))
    client.post("/consultations/details/", DETAILS)
    other = PackSizeFactory()
    response = client.post("/consultations/pack/", {"pack": other.pk})
    assert response.status_code == 200
    assert "Choose one of the packs shown." in response.content.decode()


def test_later_steps_without_a_consultation_in_progress_say_so(client, pom, questionnaire):
    for url in ["/consultations/details/", "/consultations/pack/", "/consultations/review/"]:
        response = client.get(url, follow=True)
        assert "Start your consultation again" in response.content.decode()
    assert client.post("/consultations/review/").status_code == 302
    assert not Consultation.objects.exists()


def test_skipping_a_step_goes_back_to_it(client, pom, questionnaire):
    client.post(start_url(pom), fine_answers(questionnaire))
    assert client.get("/consultations/review/")["Location"] == "/consultations/details/"
    client.post("/consultations/details/", DETAILS)
    assert client.get("/consultations/review/")["Location"] == "/consultations/pack/"


def test_only_a_live_prescription_only_medicine_with_a_questionnaire_opens(
    client, product_index, pom, questionnaire
):
    pharmacy = ProductPageFactory(parent=product_index, legal_status="p")
    live_questionnaire(pharmacy, title="Pharmacy")
    bare = ProductPageFactory(parent=product_index, legal_status="pom")
    for product in (pharmacy, bare):
        assert client.get(start_url(product)).status_code == 404
    assert client.get("/consultations/start/999999/").status_code == 404
    pom.unpublish()
    assert client.get(start_url(pom)).status_code == 404


def test_editing_a_live_questionnaire_never_changes_past_answers(client, pom, questionnaire):
    through_to_review(client, pom, questionnaire)
    client.post("/consultations/review/")
    consultation = Consultation.objects.get()
    first_revision = questionnaire.live_revision
    questionnaire.questions[0].value["question"] = "Has a specialist confirmed it?"
    questionnaire.save()
    questionnaire.save_revision().publish()
    answer = consultation.answers.get(position=0)
    assert answer.question == "Has a doctor diagnosed your spasticity?"
    assert answer.questionnaire_revision == first_revision
    assert consultation.questionnaire_revision == first_revision
    assert "Has a specialist confirmed it?" in client.get(start_url(pom)).content.decode()


def test_a_cross_site_post_is_refused(client, pom, questionnaire):
    response = client.post(
        start_url(pom), fine_answers(questionnaire), HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert not ConsultationDraft.objects.exists()


def test_sending_is_rate_limited(client, pom, questionnaire, settings):
    settings.CONSULTATIONS_RATE_LIMIT = 1
    through_to_review(client, pom, questionnaire)
    client.post("/consultations/review/")
    through_to_review(client, pom, questionnaire)
    response = client.post("/consultations/review/")
    assert response.status_code == 429
    assert Consultation.objects.count() == 1
    assert ConsultationDraft.objects.count() == 1  # what they entered is kept


def test_steps_are_rate_limited(client, pom, questionnaire, settings):
    settings.CONSULTATION_STEPS_RATE_LIMIT = 2
    for _ in range(2):
        client.post(start_url(pom), fine_answers(questionnaire))
    assert client.post(start_url(pom), fine_answers(questionnaire)).status_code == 429


def test_the_status_link_is_private_and_unguessable(client, pom, questionnaire):
    assert client.get("/consultations/status/not-a-token/").status_code == 404
    through_to_review(client, pom, questionnaire)
    response = client.post("/consultations/review/")
    status = client.get(response["Location"])
    assert status["Cache-Control"] == "private, no-store"
    assert status["Referrer-Policy"] == "no-referrer"
    assert 'name="robots" content="noindex"' in status.content.decode()


def test_consultation_pages_keep_the_sites_content_security_policy(client, pom, questionnaire):
    import re

    pages = [client.get(start_url(pom))]
    through_to_review(client, pom, questionnaire)
    pages += [client.get("/consultations/details/"), client.get("/consultations/review/")]
    for response in pages:
        html = response.content.decode()
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\sstyle=\"", html) and "<style" not in html
