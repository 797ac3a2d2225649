"""`manage.py load_demo` and the project's migrations."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from catalog.models import LegalStatus, ProductPage
from home.models import HomePage
from home.site_settings import PharmacySettings

pytestmark = pytest.mark.django_db

SEED_SECTIONS = [
    "Understanding Baclofen 40 mg",
    "How it works",
    "Uses and indications",
    "Efficacy and benefits",
    "Dosage and administration",
    "Side effects and precautions",
    "Interactions",
    "In summary",
]


def test_load_demo_builds_the_baclofen_page(client):
    call_command("load_demo")
    response = client.get("/products/baclofen-40-mg/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in SEED_SECTIONS:
        assert f">{heading}</h2>" in html
    for quantity in [30, 60, 90, 120, 150, 180]:
        assert f"{quantity} tablets" in html
    assert "SKU: N/A" in html and "Category:" not in html
    assert "Prescription-only medicine" in html
    # Under the default supply rules: a price list and a consultation, no promotion.
    assert "+ Free Shipping" not in html and 'type="radio"' not in html
    assert "<caption>Prices</caption>" in html and "Start a consultation" in html
    assert 'id="reviews"' not in html
    assert "Do not stop taking baclofen suddenly" in html

    product = ProductPage.objects.get(slug="baclofen-40-mg")
    assert product.legal_status == LegalStatus.PRESCRIPTION_ONLY and product.sku == ""
    assert client.get("/").status_code == 200 and client.get("/products/").status_code == 200
    assert (
        '<a href="/products/baclofen-40-mg/">Baclofen 40 mg</a>' in client.get("/").content.decode()
    )


def test_load_demo_replaces_wagtails_welcome_page_and_points_the_site_at_home():
    call_command("load_demo")
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_load_demo_twice_changes_nothing():
    call_command("load_demo")
    before = (
        Page.objects.count(),
        Revision.objects.count(),
        list(
            ProductPage.objects.get(slug="baclofen-40-mg").pack_sizes.values_list(
                "quantity", "price"
            )
        ),
    )
    call_command("load_demo")
    after = (
        Page.objects.count(),
        Revision.objects.count(),
        list(
            ProductPage.objects.get(slug="baclofen-40-mg").pack_sizes.values_list(
                "quantity", "price"
            )
        ),
    )
    assert before == after


def test_load_demo_keeps_editors_changes():
    call_command("load_demo")
    product = ProductPage.objects.get(slug="baclofen-40-mg")
    product.summary = "Edited by an editor."
    product.save_revision().publish()
    call_command("load_demo")
    assert ProductPage.objects.get(pk=product.pk).summary == "Edited by an editor."


def test_the_demo_pharmacy_is_valid_and_its_paracetamol_carries_a_limit(client):
    from catalog.models import ActiveIngredient
    from home.site_settings import PharmacySettings

    call_command("load_demo")
    pharmacy = PharmacySettings.load()
    pharmacy.full_clean()  # every identity field passes its own validation
    assert pharmacy.prescription_only_supply == "consultation"
    assert pharmacy.promote_prescription_only is False
    assert ActiveIngredient.objects.get(name="Paracetamol").max_units_per_order == 32
    paracetamol = ProductPage.objects.get(slug="paracetamol-500-mg-tablets")
    pack = paracetamol.pack_sizes.get(quantity=16)
    assert client.post("/cart/add/", {"pack": pack.pk, "count": 2}).status_code == 302
    response = client.post(
        "/cart/add/", {"pack": pack.pk, "count": 1}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "at most 32 tablets of paracetamol" in response.json()["message"]
    html = client.get("/").content.decode()
    assert "<dt>Superintendent pharmacist</dt>" in html and "<dd>9000000</dd>" in html


def test_load_demo_upgrades_a_demo_from_before_the_supply_rules():
    from catalog.models import ActiveIngredient
    from home.site_settings import PharmacySettings

    call_command("load_demo")
    PharmacySettings.objects.update(
        registration_number="9000000 (demo)", legal_owner="", superintendent_name=""
    )
    ActiveIngredient.objects.update(max_units_per_order=None)
    revisions = Revision.objects.count()
    call_command("load_demo")
    pharmacy = PharmacySettings.objects.get()
    assert pharmacy.registration_number == "9000000" and pharmacy.legal_owner
    assert ActiveIngredient.objects.get(name="Paracetamol").max_units_per_order == 32
    assert ActiveIngredient.objects.get(name="Baclofen").max_units_per_order is None
    assert Revision.objects.count() == revisions  # the pages are left as they were
    pharmacy.legal_owner = "Changed by the pharmacy"
    pharmacy.save()
    call_command("load_demo")
    assert PharmacySettings.objects.get().legal_owner == "Changed by the pharmacy"


def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ensure_admin_creates_a_superuser_once_and_prints_the_login(monkeypatch):
    from io import StringIO

    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct-horse-battery")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "Username: admin" in out.getvalue()
    assert "Password: correct-horse-battery" in out.getvalue()
    assert "/admin/" in out.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("correct-horse-battery")

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert again.getvalue() == ""  # printed once, never again
    assert get_user_model().objects.count() == 1


def test_ensure_admin_makes_a_random_password_when_none_is_given(monkeypatch):
    from io import StringIO

    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("Password: ")[1].strip()
    assert len(password) >= 12


def test_load_demo_gives_the_pharmacy_contact_details_once(client):
    call_command("load_demo")
    html = client.get("/products/baclofen-40-mg/").content.decode()
    assert "020 7946 0123" in html  # footer: how to reach the pharmacy
    settings = PharmacySettings.load()
    settings.phone = "01632 960000"
    settings.save()
    call_command("load_demo")
    assert PharmacySettings.load().phone == "01632 960000"  # never overwritten


def test_load_demo_serves_the_default_site_at_the_base_url(client, settings):
    """`make run` exports WAGTAILADMIN_BASE_URL=http://127.0.0.1:8000: every absolute link
    (canonical, JSON-LD, the API's detail_url) must name that address, not localhost."""
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    call_command("load_demo")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    base = "http://127.0.0.1:8000"
    html = client.get("/products/baclofen-40-mg/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert f'<link rel="canonical" href="{base}/products/baclofen-40-mg/">' in html
    assert f'"url": "{base}/products/baclofen-40-mg/"' in html or (
        f'"url":"{base}/products/baclofen-40-mg/"' in html
    )
    assert "http://localhost" not in html
    product = ProductPage.objects.get(slug="baclofen-40-mg")
    item = client.get("/api/v2/products/", HTTP_HOST="127.0.0.1:8000").json()["items"][0]
    assert item["meta"]["detail_url"] == f"{base}/api/v2/products/{product.pk}/"
    assert item["meta"]["html_url"] == f"{base}/products/baclofen-40-mg/"
    # Run again with another address (a production URL): the Site follows it.
    settings.WAGTAILADMIN_BASE_URL = "https://www.example-pharmacy.co.uk"
    call_command("load_demo")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("www.example-pharmacy.co.uk", 443)
