"""The public pages are valid HTML, checked by the Nu HTML Checker (vnu.jar, with Java).

`make test` installs the checker (`npm ci`). Locally a missing Java or jar skips
this test; in CI it fails it.
"""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from catalog.models import ProductPage
from orders.models import Order
from orders.services import change_status
from tests.browser import unavailable
from tests.factories import (
    ImageFactory,
    PackSizeFactory,
    ProductPageFactory,
    ReviewFactory,
    section_blocks,
)

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def check_html(documents, folder):
    """Check every {name: html} in one run of the checker; return its messages by name."""
    java = shutil.which("java")
    if java is None:
        unavailable("Java is not installed (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        unavailable(f"{VNU_JAR.name} is missing (run `npm ci`, or `make test`)")
    paths = {}
    for name, html in documents.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(p) for p in paths.values()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    names = {p.resolve().as_uri(): name for name, p in paths.items()}
    by_name = {name: [] for name in documents}
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "")
        by_name[names.get(url.replace("file:/", "file:///", 1), url)].append(message)
    return by_name


def render(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_public_pages_are_valid_html(client, demo, tmp_path):
    rich = ProductPageFactory(
        parent=demo.get_parent(),
        title="Everything 10 mg",
        sku="EVR-10",
        free_shipping=True,
        image=ImageFactory(),
        body=section_blocks(10),
    )
    PackSizeFactory(page=rich, quantity=28, price=Decimal("9.99"), previous_price=Decimal("12"))
    PackSizeFactory(page=rich, quantity=56, in_stock=False)
    bare = ProductPageFactory(parent=demo.get_parent(), title="Bare 5 mg", body=[])
    reviewed = ProductPageFactory(
        parent=demo.get_parent(), title="Reviewed 2 mg", accept_reviews=True
    )
    ReviewFactory.create_batch(12, product=reviewed)  # two pages of reviews
    review_errors = client.post(reviewed.url + "reviews/add/", {"text": "Too short"})
    assert review_errors.status_code == 200 and b"There is a problem" in review_errors.content
    empty_cart = render(client, "/cart/")
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")  # general sale
    pack = paracetamol.pack_sizes.get(quantity=16)
    assert client.post("/cart/add/", {"pack": pack.pk, "count": 2}).status_code == 302
    after_adding = render(client, "/cart/")  # where a form post lands: the message and the line
    # A refused add: the product page again, the error summary at the form (over the limit
    # of 32 tablets; a pack out of stock since the page was read).
    add_refused = client.post("/cart/add/", {"pack": pack.pk, "count": 1})
    assert add_refused.status_code == 200 and b"There is a problem" in add_refused.content
    out_of_stock = rich.pack_sizes.get(quantity=56)
    pack_refused = client.post("/cart/add/", {"pack": out_of_stock.pk, "count": 1})
    assert pack_refused.status_code == 200 and b"There is a problem" in pack_refused.content
    line = client.get("/cart/").context["cart"].lines[0]
    refused = client.post("/cart/update/", {"line": line.pk, "count": 0})
    assert refused.status_code == 200 and b"There is a problem" in refused.content
    cart_count_refused = refused.content.decode()
    cart_full = render(client, "/cart/")
    checkout = render(client, "/checkout/")
    checkout_errors = client.post("/checkout/", {"date_of_birth": "2999-01-01"})
    assert b"There is a problem" in checkout_errors.content
    key = re.search(r'name="idempotency_key" value="([^"]+)"', checkout).group(1)
    prices = re.search(r'name="seen_prices" value="([^"]+)"', checkout).group(1)
    placed = client.post(
        "/checkout/",
        {
            "idempotency_key": key,
            "seen_prices": prices,
            "name": "Sam Patel",
            "email": "sam@example.com",
            "phone": "07700900982",
            "date_of_birth": "1980-03-27",
            "fulfilment": "delivery",
            "address_line_1": "1 High Street",
            "town": "Leeds",
            "postcode": "LS1 4AP",
            "agree": "on",
        },
    )
    assert placed.status_code == 302
    order = Order.objects.get()
    assert order.status == "received"  # general sale: no prescription to wait for
    change_status(order, "query", None, message="Have you taken it before?")
    status_url = f"/orders/{order.status_token}/"
    reply_errors = client.post(status_url + "reply/", {"reply": ""})
    assert b"There is a problem" in reply_errors.content
    documents = {
        "home": render(client, "/"),
        "products": render(client, "/products/"),
        "product": render(client, demo.url),  # prescription-only, under the default rules
        "product-general-sale": render(client, paracetamol.url),
        "product-everything": render(client, rich.url),
        "product-bare": render(client, bare.url),
        "product-reviews": render(client, reviewed.url),
        "product-reviews-page-2": render(client, reviewed.url + "?reviews=2"),
        "review-form-errors": review_errors.content.decode(),
        "cart-empty": empty_cart,
        "cart-after-adding": after_adding,
        "cart-full": cart_full,
        "checkout": checkout,
        "checkout-errors": checkout_errors.content.decode(),
        "confirmation": render(client, placed["Location"]),
        "order-status": render(client, status_url),
        "order-status-reply-errors": reply_errors.content.decode(),
        "not-found": render(client, "/products/no-such-medicine/", status=404),
        "search-results": render(client, "/search/?q=baclofen"),
        "search-no-results": render(client, "/search/?q=zzzz"),
        "cart-count-refused": cart_count_refused,
        "product-add-refused": add_refused.content.decode(),
        "product-add-refused-pack": pack_refused.content.decode(),
    }
    assert "Items in your cart" in documents["cart-full"]
    assert "added to your cart" in documents["cart-after-adding"]
    messages = check_html(documents, tmp_path)
    problems = {
        name: [
            f"line {m.get('lastLine')}: {m['message']} ({m.get('extract', '').strip()})"
            for m in found
            if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
        ]
        for name, found in messages.items()
    }
    assert problems == {name: [] for name in documents}


def test_consultation_pages_are_valid_html(client, demo, tmp_path):
    """Every step of a consultation, with and without errors, and the status pages."""
    from consultations import services
    from consultations.models import Consultation
    from tests.consultations_helpers import (
        DETAILS,
        fine_answers,
        pharmacy_pack_answers,
        prescriber,
        stop_answers,
    )

    questionnaire = services.questionnaire_for(demo)
    start = f"/consultations/start/{demo.pk}/"
    documents = {"questions": render(client, start)}
    documents["questions-errors"] = client.post(start, {}).content.decode()
    documents["stopped"] = client.post(start, stop_answers(questionnaire)).content.decode()
    assert client.post(start, fine_answers(questionnaire)).status_code == 302
    documents["details"] = render(client, "/consultations/details/")
    documents["details-errors"] = client.post(
        "/consultations/details/", {**DETAILS, "email": "x", "date_of_birth": "soon"}
    ).content.decode()
    client.post("/consultations/details/", DETAILS)
    documents["pack"] = render(client, "/consultations/pack/")
    client.post("/consultations/pack/", {"pack": demo.pack_sizes.get(quantity=90).pk})
    documents["review"] = render(client, "/consultations/review/")
    client.post("/consultations/review/")
    consultation = Consultation.objects.get()
    status = f"/consultations/status/{consultation.token}/"
    documents["status-awaiting"] = render(client, status)
    services.ask(consultation, prescriber(), "Since when have you had the spasms?")
    documents["status-question"] = render(client, status)
    documents["status-reply-errors"] = client.post(status, {"reply": ""}).content.decode()
    documents["expired"] = render(client, "/consultations/expired/")
    # The demo's pharmacy medicine: its questions, their errors, a stop, then answered.
    p_medicine = ProductPage.objects.get(slug="paracetamol-500-mg-tablets-pharmacy-pack")
    asked = services.questionnaire_for(p_medicine)
    pack = {"pack": p_medicine.pack_sizes.get().pk, "count": 1}
    pharmacy = f"/consultations/pharmacy/{p_medicine.pk}/"
    documents["pharmacy-questions"] = render(client, pharmacy)
    documents["pharmacy-errors"] = client.post(pharmacy, pack).content.decode()
    documents["pharmacy-stopped"] = client.post(
        pharmacy, {**pack, **pharmacy_pack_answers(asked, other_paracetamol="yes")}
    ).content.decode()
    client.post("/cart/add/", pack)  # goes to the questions: nothing is added
    documents["pharmacy-answered"] = client.post(
        pharmacy, {**pack, **pharmacy_pack_answers(asked)}
    ).content.decode()
    assert "Your answers are saved" in documents["pharmacy-answered"]
    assert "can lead to an overdose" in documents["pharmacy-stopped"]
    assert "There is a problem" in documents["details-errors"]
    assert "Since when" in documents["status-question"]
    messages = check_html(documents, tmp_path)
    problems = {
        name: [
            f"line {m.get('lastLine')}: {m['message']} ({m.get('extract', '').strip()})"
            for m in found
            if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"
        ]
        for name, found in messages.items()
    }
    assert problems == {name: [] for name in documents}
