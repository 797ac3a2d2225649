"""The Content-Security-Policy header on the site and in the Wagtail admin."""

import pytest
from django.urls import reverse

from tests.factories import ProductPageFactory

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_site_pages_forbid_inline_scripts_and_styles(client, product_index):
    product = ProductPageFactory(parent=product_index)
    for url in (product.url, "/products/", "/"):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["default-src"] == ["'self'"]


def test_site_pages_have_no_inline_script_or_style(client, product_index):
    """What the policy forbids must not be in our own templates (JSON data blocks are fine)."""
    import re

    product = ProductPageFactory(parent=product_index)
    for url in (product.url, "/products/", "/"):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert all("application/ld+json" in attrs or "json" in attrs for attrs in scripts)
        assert not re.search(r"\sstyle=\"", html) and "<style" not in html
        assert not re.search(r"\son[a-z]+=\"", html)


def test_admin_edit_page_loads_with_its_scoped_policy(admin_client, product_index):
    product = ProductPageFactory(parent=product_index)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(product.pk,)))
    assert response.status_code == 200
    policy = directives(response)
    # Wagtail 8's widgets need inline scripts and styles: allowed under /admin/ only.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the live preview panel
    assert policy["object-src"] == ["'none'"]


def test_admin_preview_gets_the_admin_policy(admin_client, product_index):
    """A preview renders the page through the middleware for its own URL, inside the admin."""
    product = ProductPageFactory(parent=product_index)
    url = reverse("wagtailadmin_pages:view_draft", args=(product.pk,))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_report_only_mode(client, settings, home):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]
