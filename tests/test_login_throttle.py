"""Brute-force protection on the Wagtail admin login."""

import pytest
from django.test import Client
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "e@example.com", "right-pass-1")


def login(client, password, username="editor", ip="10.0.0.1"):
    response = client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response, response.content.decode()


def test_locked_out_after_five_failures_even_with_the_right_password(client, editor, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        response, html = login(client, "wrong")
        assert response.status_code == 200 and "Please try again" in html
    response, html = login(client, "right-pass-1")
    assert response.status_code == 200  # not logged in: the form again
    assert LOCKED in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(editor, django_user_model):
    django_user_model.objects.create_superuser("other", "o@example.com", "other-pass-1")
    attacker = Client()
    for _ in range(5):
        login(attacker, "wrong")
    assert LOCKED in login(attacker, "right-pass-1")[1]
    # The real editor, from their own address, is not locked out by the attacker.
    response, _ = login(Client(), "right-pass-1", ip="10.0.0.2")
    assert response.status_code == 302
    # Another account from the attacker's address is not affected either.
    response, _ = login(Client(), "other-pass-1", username="other")
    assert response.status_code == 302


def test_username_case_does_not_dodge_the_limit(client, editor):
    for name in ["editor", "Editor", "EDITOR", "eDitor", "editoR "]:
        login(client, "wrong", username=name)
    assert LOCKED in login(client, "right-pass-1")[1]


def test_lockout_ends_after_the_window(client, editor, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 900
    with freeze_time("2026-01-01 10:00:00") as frozen:
        for _ in range(5):
            login(client, "wrong")
        assert LOCKED in login(client, "right-pass-1")[1]
        frozen.tick(899)
        assert LOCKED in login(client, "right-pass-1")[1]
        frozen.tick(2)
        response, _ = login(client, "right-pass-1")
        assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, editor):
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "right-pass-1")[0].status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "wrong")
    assert login(client, "right-pass-1")[0].status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(client, editor, settings):
    settings.NUM_PROXIES = 1
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    # Same proxy, another client: not locked.
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-pass-1"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302
