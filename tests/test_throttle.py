"""The shared attempt counter (website/throttle.py): atomic, settings read when counting,
and never an error page when its cache (Redis) is down."""

import logging
import threading

import pytest
from django.test import Client
from freezegun import freeze_time

from catalog.reviews.models import Review
from tests.factories import ProductPageFactory
from tests.test_reviews import post_review, review_data
from website.throttle import Throttle

pytestmark = pytest.mark.django_db

WARNING = "Throttle cache unavailable"


@pytest.fixture
def product(product_index):
    return ProductPageFactory(parent=product_index, accept_reviews=True)


@pytest.fixture
def limited(settings):
    settings.TEST_LIMIT = 5
    settings.TEST_WINDOW = 60
    return Throttle("test", "TEST_LIMIT", "TEST_WINDOW")


def admitted_of_concurrent(throttle, attempts):
    """How many of `attempts` simultaneous counts of one client the throttle let through."""
    barrier = threading.Barrier(attempts)
    admitted = []

    def attempt():
        barrier.wait()
        admitted.append(throttle.count("198.51.100.7"))

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return admitted.count(True)


def test_exactly_the_limit_of_concurrent_attempts_get_through_locmem(limited):
    assert admitted_of_concurrent(limited, 20) == 5
    assert limited.is_blocked("198.51.100.7") and not limited.is_blocked("198.51.100.8")


def test_exactly_the_limit_of_concurrent_attempts_get_through_redis(limited, redis_throttle):
    assert admitted_of_concurrent(limited, 20) == 5
    assert limited.attempts("198.51.100.7") == 20


def test_limit_and_window_are_read_when_counting(limited, settings):
    settings.TEST_LIMIT = 2
    assert [limited.count("a") for _ in range(3)] == [True, True, False]
    settings.TEST_LIMIT = 4  # refused attempts count too: "a" has made 3
    assert not limited.is_blocked("a") and limited.count("a") and not limited.count("a")
    settings.TEST_WINDOW = 1
    with freeze_time() as frozen:
        assert limited.count("c")
        frozen.tick(2)
        assert limited.attempts("c") == 0


def test_the_window_starts_at_the_first_attempt_and_is_never_extended(limited):
    with freeze_time("2026-01-01 10:00:00") as frozen:
        for _ in range(5):
            limited.count("a")
        frozen.tick(59)
        assert not limited.count("a")  # a refused attempt does not extend the window
        frozen.tick(2)
        assert limited.count("a") and limited.attempts("a") == 1


def test_redis_down_counts_in_this_process_with_a_warning(limited, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="website.throttle"):
        assert [limited.count("a") for _ in range(6)] == [True] * 5 + [False]
    assert limited.is_blocked("a")
    limited.clear("a")
    assert not limited.is_blocked("a")
    assert WARNING in caplog.text


def test_redis_down_a_review_is_still_taken_and_limited(client, product, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="website.throttle"):
        statuses = [post_review(client, product, review_data()).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert Review.objects.count() == 5
    assert WARNING in caplog.text


def test_redis_down_editors_can_still_log_in(django_user_model, redis_down, caplog):
    django_user_model.objects.create_superuser("editor", "e@example.com", "right-pass-1")
    client = Client()
    with caplog.at_level(logging.WARNING, logger="website.throttle"):
        response = client.post("/admin/login/", {"username": "editor", "password": "right-pass-1"})
    assert response.status_code == 302
    assert WARNING in caplog.text
