"""A pharmacy medicine's questions before its pack goes into the cart (issue 20, point 4)."""

import pytest
from django.test import RequestFactory

from consultations import pharmacy
from consultations.models import PharmacyAnswers
from consultations.questions import field_name
from tests.consultations_helpers import live_questionnaire
from tests.factories import PackSizeFactory, ProductPageFactory

pytestmark = pytest.mark.django_db

QUESTIONS = [
    (
        "yes_no",
        {
            "question": "Is the medicine for you?",
            "help_text": "",
            "required": True,
            "if_yes": "",
            "if_no": "stop",
            "stop_message": "We can only sell it to the person who will take it.",
        },
    ),
    (
        "yes_no",
        {
            "question": "Do you take other medicines?",
            "help_text": "",
            "required": True,
            "if_yes": "attention",
            "if_no": "",
            "stop_message": "",
        },
    ),
]


@pytest.fixture
def p_medicine(product_index):
    product = ProductPageFactory(parent=product_index, legal_status="p")
    PackSizeFactory(page=product, quantity=16)
    return product


@pytest.fixture
def questionnaire(p_medicine):
    return live_questionnaire(p_medicine, questions=QUESTIONS, title="Pharmacy questions")


def visitor_request(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def url(product):
    return f"/consultations/pharmacy/{product.pk}/"


def test_the_cart_is_sent_to_the_questions_until_they_are_answered(
    client, p_medicine, questionnaire
):
    pack = p_medicine.pack_sizes.get()
    first, second = (field_name(b) for b in questionnaire.questions)
    assert pharmacy.questions_url(visitor_request(client), pack, 2) == (
        f"{url(p_medicine)}?pack={pack.pk}&count=2"
    )
    page = client.get(f"{url(p_medicine)}?pack={pack.pk}&count=2").content.decode()
    assert "Is the medicine for you?" in page and f'name="pack" value="{pack.pk}"' in page

    missing = client.post(url(p_medicine), {"pack": pack.pk, "count": 2, first: "yes"})
    assert "Choose an answer." in missing.content.decode()

    response = client.post(
        url(p_medicine), {"pack": pack.pk, "count": 2, first: "yes", second: "yes"}
    )
    html = response.content.decode()
    assert "Your answers are saved" in html and 'action="/cart/add/"' in html
    answers = PharmacyAnswers.objects.get()
    assert answers.has_flags
    assert answers.answered[1] == {
        "question": "Do you take other medicines?",
        "answer": "Yes",
        "flag": "attention",
    }
    request = visitor_request(client)
    assert pharmacy.questions_url(request, pack) is None
    assert pharmacy.answers_for(request, p_medicine) == answers


def test_a_stop_answer_blocks_the_pack_with_its_message(client, p_medicine, questionnaire):
    first = field_name(questionnaire.questions[0])
    response = client.post(url(p_medicine), {first: "no"})
    assert "We can only sell it to the person who will take it." in response.content.decode()
    assert not PharmacyAnswers.objects.exists()
    assert pharmacy.questions_url(visitor_request(client), p_medicine.pack_sizes.get())


def test_a_new_version_of_the_questions_is_asked_again(client, p_medicine, questionnaire):
    first, second = (field_name(b) for b in questionnaire.questions)
    client.post(url(p_medicine), {first: "yes", second: "no"})
    pack = p_medicine.pack_sizes.get()
    assert pharmacy.questions_url(visitor_request(client), pack) is None
    questionnaire.save_revision().publish()
    assert pharmacy.questions_url(visitor_request(client), pack) is not None


def test_other_medicines_ask_nothing_here(client, product_index, p_medicine):
    general = ProductPageFactory(parent=product_index, legal_status="gsl")
    pack = PackSizeFactory(page=general)
    live_questionnaire(general, questions=QUESTIONS, title="General")
    assert pharmacy.questions_url(visitor_request(client), pack) is None
    assert client.get(url(general)).status_code == 404
    assert client.get(url(p_medicine)).status_code == 404  # no questionnaire
    assert pharmacy.questions_url(visitor_request(client), PackSizeFactory(page=p_medicine)) is None
