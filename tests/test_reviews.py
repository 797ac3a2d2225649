"""Customer reviews on the product page: the form, spam handling, display and notification."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from freezegun import freeze_time

from catalog.reviews.models import Review, ReviewStatus
from catalog.reviews.services import (
    FORM_TOKEN_MAX_AGE,
    MIN_FILL_SECONDS,
    new_form_token,
)
from home.site_settings import PharmacySettings
from tests.factories import ProductPageFactory, ReviewFactory

pytestmark = pytest.mark.django_db

THANK_YOU = "Thank you — your review is awaiting approval."


@pytest.fixture
def product(product_index):
    return ProductPageFactory(
        parent=product_index, title="Baclofen 40 mg", slug="baclofen-40-mg", accept_reviews=True
    )


def review_data(**overrides):
    data = {
        "rating": "4",
        "text": "It eased the spasms in my legs within a week.",
        "author_name": "Sam Patel",
        "email": "sam@example.com",
        "website": "",
        "started": new_form_token(at=time.time() - 60),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_review(client, product, data, query="", **extra):
    return client.post(f"{product.url}reviews/add/{query}", data, **extra)


def html_of(client, product, query=""):
    response = client.get(product.url + query)
    assert response.status_code == 200
    return response.content.decode()


def review_section(html):
    return re.search(r'<section class="reviews".*?</section>', html, re.S).group(0)


def shown_texts(html):
    return re.findall(r'<p class="review__text">(.*?)</p>', html, re.S)


# --- The section and the form -------------------------------------------------------------


def test_no_reviews_yet_shows_the_empty_state_and_the_form(client, product):
    html = html_of(client, product)
    section = review_section(html)
    assert '<h2 id="reviews-heading">Reviews (0)</h2>' in section
    assert "There are no reviews yet." in section
    assert "Be the first to review “Baclofen 40 mg”" in section
    assert "Add a review" not in section
    assert (
        '<p class="review-form__note" id="review-form-note">Your email address will not be '
        "published. Required fields are marked *</p>" in section
    )
    assert "helptext" not in section  # no aria-describedby pointing at nothing
    assert re.search(r"<legend>Rating <span[^>]*>\*</span></legend>", section)
    for field, label in [("text", "Your review"), ("author_name", "Name"), ("email", "Email")]:
        assert re.search(rf'<label for="id_{field}">{label} <span[^>]*>\*</span></label>', section)
    assert section.count('type="radio" name="rating"') == 5
    assert "csrfmiddlewaretoken" not in html  # a public page: no per-visitor token
    assert (
        '<input type="hidden" name="started" value="" id="id_started" data-form-token="review">'
        in section
    )
    assert f'action="{product.url}reviews/add/#review-form"' in section
    assert 'class="rating-summary"' not in html  # nothing to summarise yet


def test_with_reviews_the_form_is_headed_add_a_review(client, product):
    ReviewFactory(product=product)
    section = review_section(html_of(client, product))
    assert "Add a review" in section
    assert "Be the first" not in section and "There are no reviews yet." not in section


def test_reviews_show_name_stars_date_and_text(client, product):
    ReviewFactory(product=product, author_name="Jo Brown", rating=4, text="Worked well for me.")
    section = review_section(html_of(client, product))
    assert '<h3 class="review__author" id=' in section and ">Jo Brown</h3>" in section
    assert '<span class="visually-hidden">Rated 4 out of 5</span>' in section
    assert section.count("stars__star--on") == 4
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d{1,2} \w+ \d{4}</time>', section)
    assert shown_texts(section) == ["Worked well for me."]


def test_script_and_html_in_name_or_text_are_shown_escaped_with_line_breaks_kept(client, product):
    ReviewFactory(
        product=product,
        author_name="<script>alert('name')</script>",
        text="<b>Bold</b> claim\n<img src=x onerror=alert(1)>second line",
    )
    html = html_of(client, product)
    assert "<script>alert(" not in html and "<b>Bold</b>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
    assert shown_texts(html) == [
        "&lt;b&gt;Bold&lt;/b&gt; claim<br>&lt;img src=x onerror=alert(1)&gt;second line"
    ]


# --- Submitting ---------------------------------------------------------------------------


def test_a_valid_review_is_saved_as_pending_and_the_visitor_is_thanked(client, product):
    response = post_review(
        client, product, review_data(), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="A" * 400
    )
    assert response.status_code == 302
    assert response["Location"] == product.url + "#main"  # not the form's #review-form
    review = Review.objects.get()
    assert (review.status, review.product, review.product_title) == (
        ReviewStatus.PENDING,
        product,
        "Baclofen 40 mg",
    )
    assert (review.rating, review.author_name, review.email) == (4, "Sam Patel", "sam@example.com")
    assert "203.0.113" not in review.ip_hash and len(review.ip_hash) == 64
    assert review.user_agent == "A" * 255

    html = client.get(response["Location"]).content.decode()
    assert THANK_YOU not in html  # a public page: the thank-you comes from /visitor/
    assert "Reviews (0)" in html and "It eased the spasms" not in html  # pending: not shown
    assert thanks_from_visitor_endpoint(client)


def thanks_from_visitor_endpoint(client):
    messages = client.get("/visitor/").json()["messages"]
    return [m["html"] for m in messages] == [THANK_YOU]


def test_the_reviews_page_is_kept_after_submitting(client, product):
    response = post_review(client, product, review_data(), query="?reviews=2")
    assert response["Location"] == product.url + "?reviews=2#main"


LONG = "x" * 5001


def error_summary(html):
    """The review form's error summary, or "" when there is none."""
    found = re.search(
        r'<div class="error-summary" id="review-form-errors".*?</ul>\s*</div>\s*</div>', html, re.S
    )
    return found.group(0) if found else ""


def test_the_error_summary_opens_the_form_and_links_each_error_to_its_field(client, product):
    """The summary is what a sighted visitor on a phone sees first after sending the form:
    it must be there, focused, at the form's top, and each of its links must reach its field."""
    response = post_review(client, product, {"text": "short", "email": "nope"})
    html = response.content.decode()
    form_html = html[html.index('<div class="review-form" id="review-form">') :]
    summary = error_summary(form_html)
    assert summary, "no error summary"
    assert form_html.index(summary) < form_html.index("<form ")  # at the form's top
    assert 'tabindex="-1" autofocus data-error-summary' in summary
    assert '<div role="alert">' in summary and "There is a problem" in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_rating_0", "Choose a rating from 1 to 5."),
        ("id_text", "Your review needs at least 10 characters."),
        ("id_author_name", "Enter your name."),
        ("id_email", "Enter an email address like name@example.com."),
    ]  # in the order of the fields
    for anchor, _ in links:  # every link reaches a field of this form
        assert re.search(rf'<(input|textarea)[^>]* id="{anchor}"', form_html), anchor
    # The response opens at the form: its action carries the fragment.
    assert f'action="{product.url}reviews/add/#review-form"' in form_html


def test_a_fresh_form_has_no_error_summary(client, product):
    assert "error-summary" not in html_of(client, product)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", None, "Choose a rating from 1 to 5."),
        ("rating", "0", "Choose a rating from 1 to 5."),
        ("rating", "6", "Choose a rating from 1 to 5."),
        ("rating", "abc", "Choose a rating from 1 to 5."),
        ("rating", "3.5", "Choose a rating from 1 to 5."),
        ("text", None, "Write your review."),
        ("text", "   ", "Write your review."),
        ("text", "Too short", "Your review needs at least 10 characters."),
        ("text", LONG, "Your review can have at most 5,000 characters: shorten it."),
        ("author_name", None, "Enter your name."),
        ("author_name", "N" * 101, "Your name can have at most 100 characters."),
        ("email", None, "Enter your email address."),
        ("email", "not-an-email", "Enter an email address like name@example.com."),
        (
            "email",
            "a" * 243 + "@example.com",
            "Your email address can have at most 254 characters.",
        ),
    ],
)
def test_invalid_input_shows_the_error_at_the_field_keeps_the_input_and_saves_nothing(
    client, product, field, value, message
):
    data = review_data(**{field: value})
    if value is None:
        data.pop(field, None)
    response = post_review(client, product, data)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<p class="field-error" id="id_{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1).replace("&#x27;", "'")
    # The error summary at the form's top names the same error and links to its field.
    anchor = "id_rating_0" if field == "rating" else f"id_{field}"
    summary = error_summary(html)
    assert f'<li><a href="#{anchor}">{escape(message)}</a></li>' in summary
    assert re.search(rf'<[^>]* id="{anchor}"', html)
    assert not Review.objects.exists()
    # Everything the visitor typed is still there.
    if field != "author_name":
        assert 'value="Sam Patel"' in html
    if field != "email":
        assert 'value="sam@example.com"' in html
    if field != "text":
        assert "It eased the spasms in my legs within a week.</textarea>" in html
    if field != "rating":
        assert re.search(
            r'<input type="radio" name="rating" id="id_rating_1" value="4" required checked>', html
        )
    if field in ("text", "author_name", "email"):
        assert re.search(
            rf'<[^>]*aria-describedby="id_{field}-error"[^>]*aria-invalid="true"|<[^>]*aria-invalid="true"[^>]*aria-describedby="id_{field}-error"',
            html,
        )


def test_markup_typed_into_an_invalid_form_is_escaped_when_shown_again(client, product):
    data = review_data(author_name="<script>alert(1)</script>", text="short")
    html = post_review(client, product, data).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_the_endpoint_refuses_gets_and_cross_site_posts(product):
    assert Client().get(f"{product.url}reviews/add/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    cross_site = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"}
    assert post_review(strict, product, review_data(), **cross_site).status_code == 403
    assert (
        post_review(strict, product, review_data(), HTTP_ORIGIN="https://evil.example").status_code
        == 403
    )
    assert not Review.objects.exists()
    # The same form from the site's own page needs no CSRF token.
    own = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    assert post_review(strict, product, review_data(), **own).status_code == 302
    assert Review.objects.get().status == ReviewStatus.PENDING


def test_without_javascript_the_form_comes_back_with_a_token_and_nothing_lost(client, product):
    response = post_review(client, product, review_data(started=""))
    assert response.status_code == 200 and not Review.objects.exists()
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "check your review and press “Submit review” once more" in html
    assert "It eased the spasms in my legs within a week.</textarea>" in html
    token = re.search(r'name="started" value="([^"]+)"', html).group(1)
    with freeze_time(timedelta(seconds=MIN_FILL_SECONDS + 1)):
        again = post_review(client, product, review_data(started=token))
    assert again.status_code == 302
    assert Review.objects.get().status == ReviewStatus.PENDING


def test_a_token_carries_one_review_the_next_ones_are_spam(client, product):
    token = new_form_token(at=time.time() - 60)
    for n in range(3):
        ip = f"203.0.113.{n}"
        response = post_review(client, product, review_data(started=token), REMOTE_ADDR=ip)
        assert response.status_code == 302  # the same answer every time
    statuses = list(Review.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [ReviewStatus.PENDING, ReviewStatus.SPAM, ReviewStatus.SPAM]


# --- Spam ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        lambda: {"website": "http://cheap-pills.example"},  # the honeypot was filled
        lambda: {"started": new_form_token()},  # sent back at once
        lambda: {"started": new_form_token(at=time.time() - 2)},  # faster than a person
        lambda: {"started": new_form_token(at=time.time() - FORM_TOKEN_MAX_AGE - 5)},  # expired
        lambda: {"started": "1700000000.0"},  # a forged, unsigned token
    ],
    ids=["honeypot", "instant", "two-seconds", "expired", "forged-token"],
)
def test_spam_is_accepted_silently_stored_as_spam_and_never_shown(
    client, product, overrides, django_capture_on_commit_callbacks
):
    PharmacySettings.objects.create(review_notification_emails="moderator@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_review(client, product, review_data(**overrides()))
    assert response.status_code == 302  # the same answer a person gets
    assert thanks_from_visitor_endpoint(client)
    review = Review.objects.get()
    assert review.status == ReviewStatus.SPAM
    assert "It eased the spasms" not in html_of(client, product)
    assert mail.outbox == []  # moderators are not bothered with it


@pytest.mark.parametrize("limit", [5, 2])  # read from settings when counting, not at import
def test_rate_limit_answers_429_with_a_clear_message(client, product, settings, limit):
    settings.REVIEWS_RATE_LIMIT = limit
    for _ in range(limit):
        assert (
            post_review(client, product, review_data(), REMOTE_ADDR="198.51.100.7").status_code
            == 302
        )
    response = post_review(client, product, review_data(), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many reviews</h1>" in html and "Please try again later." in html
    assert f"You have sent {limit} reviews in the last 60 minutes" in html
    assert "Your review has not been saved." in html
    assert response["Retry-After"] == "3600"
    assert Review.objects.count() == limit
    # Another client is not affected.
    assert (
        post_review(client, product, review_data(), REMOTE_ADDR="198.51.100.8").status_code == 302
    )


# --- The per-product switch ---------------------------------------------------------------


def test_switching_reviews_off_hides_them_refuses_the_endpoint_and_keeps_them(client, product):
    review = ReviewFactory(product=product, text="Kept while reviews are off.")
    assert "Kept while reviews are off." in html_of(client, product)

    product.accept_reviews = False
    product.save_revision().publish()
    html = html_of(client, product)
    assert 'id="reviews"' not in html and "Reviews (" not in html and "Add a review" not in html
    assert "Kept while reviews are off." not in html and 'class="rating-summary"' not in html
    assert post_review(client, product, review_data()).status_code == 404
    assert list(Review.objects.all()) == [review]

    product.accept_reviews = True
    product.save_revision().publish()
    assert "Kept while reviews are off." in html_of(client, product)
    assert post_review(client, product, review_data()).status_code == 302


# --- What is shown ------------------------------------------------------------------------


def test_only_approved_reviews_are_shown_and_counted(client, product):
    for status in ReviewStatus:
        ReviewFactory(product=product, status=status, text=f"A {status.value} review text.")
    html = html_of(client, product)
    assert shown_texts(html) == ["A approved review text."]
    assert "Reviews (1)" in html


def test_average_and_count_near_the_title_and_in_the_section(client, product, product_index):
    for rating in (5, 4, 4):
        ReviewFactory(product=product, rating=rating)
    ReviewFactory(product=product, rating=1, status=ReviewStatus.PENDING)
    ReviewFactory(product=ProductPageFactory(parent=product_index, accept_reviews=True), rating=1)
    html = html_of(client, product)
    summary = re.search(r'<p class="rating-summary">.*?</p>', html, re.S).group(0)
    assert html.index('class="rating-summary"') < html.index("product__lead")  # near the title
    assert (
        "Rated 4.3 out of 5" in summary and '<a href="#reviews">3 customer reviews</a>' in summary
    )
    assert "Reviews (3)" in html
    assert "Average rating 4.3 out of 5 from 3 reviews." in html


def test_reviews_are_newest_first_and_paginated_by_ten(client, product):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for i in range(23):
        ReviewFactory(
            product=product, text=f"Review number {i:02d}.", created=now - timedelta(days=i)
        )
    first = html_of(client, product)
    assert shown_texts(first) == [f"Review number {i:02d}." for i in range(10)]
    assert "Page 1 of 3" in first and '<a href="?reviews=2#reviews" rel="next">' in first
    third = html_of(client, product, "?reviews=3")
    assert shown_texts(third) == [f"Review number {i:02d}." for i in range(20, 23)]
    assert "Page 3 of 3" in third and "Reviews (23)" in third
    assert f'action="{product.url}reviews/add/?reviews=3#review-form"' in third
    # Bad page numbers never fail: junk is the first page, past the end the last one.
    assert shown_texts(html_of(client, product, "?reviews=abc"))[0] == "Review number 00."
    assert shown_texts(html_of(client, product, "?reviews=-1"))[0] == "Review number 00."
    past_the_end = html_of(client, product, "?reviews=999")
    assert shown_texts(past_the_end)[0] == "Review number 20." and "Page 3 of 3" in past_the_end
    assert f'action="{product.url}reviews/add/?reviews=3#review-form"' in past_the_end
    assert html_of(client, product, "?reviews=99999999999999999999")


def count_queries(client, page):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_0_10_and_200_approved_reviews(client, product_index):
    warm_up = ProductPageFactory(parent=product_index, packs=[30])
    for _ in range(3):  # per-process caches, and the pages above the products
        count_queries(client, warm_up)
    counts = []
    for n in (0, 10, 200):
        product = ProductPageFactory(parent=product_index, accept_reviews=True, packs=[30, 60])
        ReviewFactory.create_batch(n, product=product)
        ReviewFactory.create_batch(3, product=product, status=ReviewStatus.PENDING)
        counts.append(tuple(count_queries(client, product) for _ in range(3)))
    assert counts[0] == counts[1] == counts[2], counts


def test_reviews_cost_two_queries_and_nothing_when_switched_off(client, product_index):
    on = ProductPageFactory(parent=product_index, accept_reviews=True, packs=[30])
    off = ProductPageFactory(parent=product_index, accept_reviews=False, packs=[30])
    ReviewFactory.create_batch(3, product=on)
    ReviewFactory.create_batch(3, product=off)
    for _ in range(3):  # warm per-process caches
        count_queries(client, on)
        count_queries(client, off)
    # The product's count and average, and one page of reviews: index-backed, whatever their number.
    assert count_queries(client, on) == count_queries(client, off) + 2


# --- Notification -------------------------------------------------------------------------


def test_moderators_are_emailed_after_the_review_is_saved(
    client, product, django_capture_on_commit_callbacks
):
    PharmacySettings.objects.create(
        review_notification_emails="pharmacist@example.com\n\n  not an address \n"
        " manager@example.com \npharmacist@example.com\n"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_review(client, product, review_data(text="Visit http://spam.example now please"))
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    review = Review.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == ["manager@example.com", "pharmacist@example.com"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "New review awaiting moderation: Baclofen 40 mg"
    edit_url = "http://testserver" + reverse(
        "wagtailsnippets_catalog_review:edit", args=(review.pk,)
    )
    assert edit_url in message.body and "rated 4 out of 5" in message.body
    # The customer's words and name stay in the admin: no spam travels by email.
    assert "spam.example" not in message.body and "Sam Patel" not in message.body
    assert message.content_subtype == "plain"


def test_no_addresses_no_email(client, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_review(client, product, review_data()).status_code == 302
    assert mail.outbox == []
