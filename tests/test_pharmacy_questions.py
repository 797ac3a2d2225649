"""A pharmacy medicine's questions before its pack goes into the cart (issue 20, point 4)."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from consultations import pharmacy
from consultations.models import PharmacyAnswers
from consultations.questions import field_name
from orders.models import Order
from orders.services import anonymise, export_customer_orders
from tests.consultations_helpers import live_questionnaire
from tests.factories import PackSizeFactory, ProductPageFactory, UserFactory
from tests.test_orders import check_out

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
    summary = missing.content.decode().split("error-summary__list")[1].split("</ul>")[0]
    second_id = field_name(questionnaire.questions[1])
    assert re.search(
        rf'<a href="#[^"]*{second_id}[^"]*">Do you take other medicines\? Choose an answer\.</a>',
        summary,
    )
    assert "Is the medicine for you?" not in summary  # answered

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


# --- Through the cart, the checkout and the pharmacist's check -----------------------------------


def answer_questions(client, product, questionnaire, pack, count=1, *, second="yes"):
    first, other = (field_name(b) for b in questionnaire.questions)
    data = {"pack": pack.pk, "count": count, first: "yes", other: second}
    return client.post(url(product), data)


def cart_lines(client):
    return re.findall(r'class="cart-line\b', client.get("/cart/").content.decode())


def test_adding_the_pack_goes_to_the_questions_first_and_adds_nothing(
    client, p_medicine, questionnaire
):
    pack = p_medicine.pack_sizes.get()
    response = client.post("/cart/add/", {"pack": pack.pk, "count": 2})
    assert response.status_code == 302
    assert response["Location"] == f"{url(p_medicine)}?pack={pack.pk}&count=2#main"
    assert cart_lines(client) == []
    page = client.get(response["Location"]).content.decode()
    assert "Is the medicine for you?" in page


def test_with_javascript_the_add_answers_where_to_go(client, p_medicine, questionnaire):
    pack = p_medicine.pack_sizes.get()
    response = client.post(
        "/cart/add/", {"pack": pack.pk, "count": 1}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"ok": False, "redirect": f"{url(p_medicine)}?pack={pack.pk}&count=1"}
    assert cart_lines(client) == []


def test_once_answered_the_pack_goes_in_and_a_stop_answer_still_blocks_it(
    client, p_medicine, questionnaire
):
    pack = p_medicine.pack_sizes.get()
    first = field_name(questionnaire.questions[0])
    stopped = client.post(url(p_medicine), {"pack": pack.pk, "count": 1, first: "no"})
    assert "We can only sell it to the person who will take it." in stopped.content.decode()
    assert client.post("/cart/add/", {"pack": pack.pk, "count": 1})["Location"].startswith(
        url(p_medicine)
    )
    answer_questions(client, p_medicine, questionnaire, pack, 2)
    response = client.post("/cart/add/", {"pack": pack.pk, "count": 2})
    assert response["Location"] == "/cart/#main"
    assert len(cart_lines(client)) == 1


def test_the_answers_travel_with_the_order_to_the_pharmacists_check(
    client, p_medicine, questionnaire
):
    pack = p_medicine.pack_sizes.get()
    answer_questions(client, p_medicine, questionnaire, pack)
    client.post("/cart/add/", {"pack": pack.pk, "count": 1})
    assert check_out(client).status_code == 302
    line = Order.objects.get().lines.get()
    assert line.pharmacy_answers == [
        {"question": "Is the medicine for you?", "answer": "Yes", "flag": ""},
        {"question": "Do you take other medicines?", "answer": "Yes", "flag": "attention"},
    ]
    assert not PharmacyAnswers.objects.exists()  # the order holds them now, and only it

    pharmacist = UserFactory(username="phil", groups=["Pharmacists"])
    client.force_login(pharmacist)
    html = client.get(reverse("orders_admin:edit", args=[line.order_id])).content.decode()
    section = html.split(f"Pharmacy questions: {p_medicine.title}")[1].split("</section>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    assert "Is the medicine for you?" in rows[1] and "Needs your attention" not in rows[1]
    assert "Do you take other medicines?" in rows[2] and "Needs your attention" in rows[2]


def test_a_pack_in_the_cart_before_the_questions_existed_is_stopped_at_the_checkout(
    client, p_medicine
):
    pack = p_medicine.pack_sizes.get()
    client.post("/cart/add/", {"pack": pack.pk, "count": 1})  # no questions yet: added
    questionnaire = live_questionnaire(p_medicine, questions=QUESTIONS, title="New questions")
    page = client.get("/checkout/").content.decode()
    link = f'<a href="{url(p_medicine)}?pack={pack.pk}&amp;count=1">answer the questions</a>'
    assert "A pharmacist needs your answers" in page and link in page
    assert check_out(client).status_code == 200 and not Order.objects.exists()
    answer_questions(client, p_medicine, questionnaire, pack)
    assert check_out(client).status_code == 302


def test_the_answers_are_exported_with_the_order_and_removed_with_the_customer(
    client, p_medicine, questionnaire
):
    pack = p_medicine.pack_sizes.get()
    answer_questions(client, p_medicine, questionnaire, pack)
    client.post("/cart/add/", {"pack": pack.pk, "count": 1})
    check_out(client)
    order = Order.objects.get()
    exported = export_customer_orders("sam@example.com")["orders"][0]["lines"][0]
    assert exported["pharmacy_answers"][1]["question"] == "Do you take other medicines?"
    anonymise(order)
    assert order.lines.get().pharmacy_answers == []
