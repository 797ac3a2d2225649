"""Public forms are protected by origin, not by a token in the page (website/origin_check.py);
the admin keeps Django's CSRF token."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from website.origin_check import public_post


@public_post
def view(request):
    return HttpResponse("done")


def post(**headers):
    request = RequestFactory().post("/form/", {"a": "1"}, **headers)
    return view(request)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame, a data: URL
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_REFERER": "https://evil.example/form"},
        {"HTTP_REFERER": "not a url"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://shop.testserver"},
    ],
)
def test_cross_site_posts_are_refused(headers):
    assert post(**headers).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/products/"},
        {},  # neither header: not a browser, as Django allows
    ],
)
def test_same_origin_posts_need_no_token(headers):
    assert post(**headers).content == b"done"


@override_settings(CSRF_TRUSTED_ORIGINS=["https://www.pharmacy.example"])
def test_trusted_origins_are_the_sites_own():
    assert post(HTTP_ORIGIN="https://www.pharmacy.example").status_code == 200


def test_gets_are_never_checked():
    request = RequestFactory().get("/form/", HTTP_SEC_FETCH_SITE="cross-site")
    assert view(request).status_code == 200


@pytest.mark.django_db
def test_the_admin_still_requires_its_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    same_origin = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    response = client.post("/admin/pages/add/", {}, **same_origin)
    assert response.status_code == 403
