"""Guessing a password-protected page's password is limited like the admin login."""

import pytest
from django.test import Client
from freezegun import freeze_time
from wagtail.models import PageViewRestriction

from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many wrong passwords for this page."
WRONG = "The password you have entered is not correct."
SECRET_TEXT = "Members-only price list"


@pytest.fixture
def protected(product_index):
    page = ProductPageFactory(parent=product_index, title="Protected 5 mg", summary=SECRET_TEXT)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
    )
    return page, restriction


def guess(client, protected, password, ip="203.0.113.5", page_id=None):
    page, restriction = protected
    url = f"/_util/authenticate_with_password/{restriction.pk}/{page_id or page.pk}/"
    response = client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=ip)
    return response, response.content.decode()


def test_after_five_wrong_guesses_even_the_right_password_is_refused(client, protected, settings):
    settings.PAGE_PASSWORD_FAILURE_LIMIT = 5
    for _ in range(5):
        response, html = guess(client, protected, "wrong")
        assert response.status_code == 200 and WRONG in html
    response, html = guess(client, protected, "open-sesame")
    assert response.status_code == 429
    assert LOCKED in html and "15 minutes" in html
    assert 'type="password"' in html  # the form, shown again
    assert SECRET_TEXT not in client.get(protected[0].url).content.decode()


def test_the_limit_is_per_client_and_the_page_id_in_the_address_does_not_dodge_it(
    client, protected, product_index
):
    other_page = ProductPageFactory(parent=product_index)
    for _ in range(5):
        guess(client, protected, "wrong")
    assert guess(client, protected, "open-sesame", page_id=other_page.pk)[0].status_code == 429
    # Another visitor, from their own address, gets in.
    visitor = Client()
    response, _ = guess(visitor, protected, "open-sesame", ip="198.51.100.20")
    assert response.status_code == 302
    assert SECRET_TEXT in visitor.get(protected[0].url).content.decode()


def test_the_lockout_ends_after_the_window_and_the_right_password_clears_it(
    client, protected, settings
):
    settings.PAGE_PASSWORD_LOCKOUT_SECONDS = 600
    with freeze_time("2026-01-01 10:00:00") as frozen:
        for _ in range(5):
            guess(client, protected, "wrong")
        response, html = guess(client, protected, "open-sesame")
        assert response.status_code == 429 and "10 minutes" in html
        frozen.tick(601)
        assert guess(client, protected, "open-sesame")[0].status_code == 302
        for _ in range(4):
            guess(Client(), protected, "wrong")
        assert guess(Client(), protected, "open-sesame")[0].status_code == 302
        assert guess(Client(), protected, "wrong")[0].status_code == 200  # count started again
