"""The demo catalogue: Home -> Products -> "Baclofen 40 mg".

Written for this project from the facts of the page it was modelled on (not its
sentences). Building it is idempotent: pages that exist are left as editors
last saved them.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from home.models import HomePage
from home.site_settings import PharmacySettings

from .models import LegalStatus, PackSize, ProductIndexPage, ProductPage
from .signoff import require_medical_sign_off

HOME_INTRO = (
    "<p>Clear, checked information about the medicines we supply, written and reviewed by "
    "our pharmacists. Choose a pack size, and we will confirm your order with you.</p>"
)

BACLOFEN_SUMMARY = (
    "A high-strength muscle relaxant for severe spasticity in conditions such as multiple "
    "sclerosis, spinal cord injury and cerebral palsy."
)

BACLOFEN_BODY = [
    (
        "overview",
        {
            "heading": "Understanding Baclofen 40 mg",
            "text": (
                "<p>Baclofen relaxes muscles that have become stiff and tight because of damage to "
                "the brain or spinal cord. The 40 mg strength is a higher dose, usually reserved for "
                "people whose severe spasticity was not controlled well enough on smaller doses or "
                "on other treatments.</p>"
            ),
        },
    ),
    (
        "mechanism",
        {
            "heading": "How it works",
            "text": (
                "<p>Baclofen is similar to GABA, a chemical messenger that quietens nerve activity. "
                "It works mainly in the spinal cord, where it damps down the overactive signals "
                "that make muscles contract when they should not. Fewer of those signals means "
                "less stiffness and fewer spasms.</p>"
            ),
        },
    ),
    (
        "uses",
        {
            "heading": "Uses and indications",
            "intro": (
                "<p>It is prescribed for severe spasticity: tight muscles, jerky movements and "
                "exaggerated reflexes that make walking, moving and everyday tasks harder. "
                "Spasticity of this kind can come with:</p>"
            ),
            "conditions": [
                "Multiple sclerosis",
                "Spinal cord injury",
                "Cerebral palsy",
                "Other conditions of the brain and spinal cord",
            ],
        },
    ),
    (
        "efficacy",
        {
            "heading": "Efficacy and benefits",
            "text": (
                "<p>In clinical studies baclofen reduced muscle tone and spasms, helping people move "
                "more easily and feel more comfortable. The effect of each dose wears off after some "
                "hours, which is why it is taken several times a day.</p>"
            ),
            "key_facts": [
                {"label": "Starts to work", "value": "Within a few hours of a dose"},
                {"label": "Strongest effect", "value": "2 to 4 hours after a dose"},
                {"label": "How often", "value": "Several doses spread through the day"},
            ],
        },
    ),
    (
        "dosage",
        {
            "heading": "Dosage and administration",
            "text": (
                "<p>Your prescriber sets your dose according to how you respond and how well you "
                "tolerate it. Tablets are swallowed with water, with the daily amount split into "
                "several doses. Treatment usually starts low and goes up step by step, which makes "
                "side effects less likely. Always take it exactly as your prescriber has told "
                "you.</p>"
            ),
            "schedule": [
                {
                    "when": "Start of treatment",
                    "dose": "A low dose, as prescribed, in divided doses",
                },
                {"when": "Following weeks", "dose": "Raised gradually by your prescriber"},
                {"when": "Maintenance", "dose": "The lowest dose that controls your symptoms"},
            ],
        },
    ),
    (
        "warning",
        {
            "title": "Do not stop taking baclofen suddenly",
            "text": (
                "<p>Stopping at once can bring back spasticity and cause hallucinations or fits. "
                "If you need to stop, your prescriber will reduce the dose over time.</p>"
            ),
        },
    ),
    (
        "side_effects",
        {
            "heading": "Side effects and precautions",
            "intro": (
                "<p>Most people take baclofen without serious problems, though side effects are "
                "more likely at higher strengths. The common ones are often mild and tend to "
                "settle as your body gets used to the medicine.</p>"
            ),
            "common": [
                "Drowsiness",
                "Dizziness",
                "Muscle weakness",
                "Tiredness",
                "Nausea",
                "Dry mouth",
            ],
            "serious": [
                "Hallucinations",
                "Confusion",
                "Slow or shallow breathing",
                "Seizures (fits)",
            ],
            "precautions": (
                "<p>Tell your prescriber before you start if you have kidney problems, a mental "
                "health condition, or have ever had a problem with drugs or alcohol: you may need "
                "a lower dose or closer monitoring.</p>"
            ),
        },
    ),
    (
        "interactions",
        {
            "heading": "Interactions",
            "intro": (
                "<p>Some medicines and substances add to baclofen's calming effect on the nervous "
                "system. Tell your prescriber and pharmacist about everything you take, including "
                "supplements and herbal remedies.</p>"
            ),
            "interactions": [
                {"substance": "Alcohol", "effect": "Stronger drowsiness; breathing may slow"},
                {
                    "substance": "Benzodiazepines (e.g. diazepam)",
                    "effect": "Extra sedation and a risk of slowed breathing",
                },
                {
                    "substance": "Opioid painkillers",
                    "effect": "Extra sedation and a risk of slowed breathing",
                },
                {"substance": "Sedating antihistamines", "effect": "More drowsiness"},
            ],
        },
    ),
    (
        "conclusion",
        {
            "heading": "In summary",
            "text": (
                "<p>Baclofen 40 mg can bring real relief from severe muscle stiffness and spasms and "
                "make daily life easier. Use it under the care of your prescriber, know the side "
                "effects to look out for, and check with a pharmacist before adding any other "
                "medicine.</p>"
            ),
        },
    ),
]

BACLOFEN_PACKS = [
    (30, Decimal("24.00")),
    (60, Decimal("42.00")),
    (90, Decimal("57.00")),
    (120, Decimal("72.00")),
    (150, Decimal("85.00")),
    (180, Decimal("96.00")),
]


def _publish(page):
    page.save_revision().publish()


# Fictional contact details (020 7946 0xxx is a range set aside for drama), so the footer and
# the cart's "how to order" have something to show. Real ones go in Settings > Pharmacy settings.
DEMO_PHARMACY = {
    "pharmacy_name": "Formulary Pharmacy",
    "registration_number": "9000000 (demo)",
    "phone": "020 7946 0123",
    "email": "pharmacy@example.com",
    "address": "1 Example Street\nLondon\nEX1 2MP",
    "shipping_returns_text": (
        "Orders confirmed by 2 pm are dispatched the same working day in discreet packaging. "
        "For your safety, medicines cannot be returned once they have left the pharmacy."
    ),
}


def site_address(base_url):
    """(hostname, port) of a URL such as WAGTAILADMIN_BASE_URL ("http://127.0.0.1:8000")."""
    parts = urlsplit(base_url)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def serve_default_site(home):
    """The default Site: `home` at the address the site is served at (WAGTAILADMIN_BASE_URL,
    which the Makefile sets), so canonical links, JSON-LD and the API say the right host."""
    hostname, port = site_address(settings.WAGTAILADMIN_BASE_URL)
    wanted = {"hostname": hostname, "port": port, "root_page": home}
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(is_default_site=True, site_name="Formulary", **wanted)
    elif any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()


@transaction.atomic
def load_demo():
    """Build the demo tree; return the pages it created (empty when all existed)."""
    created = []
    if not PharmacySettings.objects.exists():
        PharmacySettings.objects.create(**DEMO_PHARMACY)
    home = _home_page(created)
    serve_default_site(home)
    index = _products_index(home, created)
    # Also for an index made before the sign-off workflow existed (idempotent).
    require_medical_sign_off(index)
    if not ProductPage.objects.filter(slug="baclofen-40-mg").exists():
        product = _baclofen(index)
        created.append(product)
        home.featured_products.create(product=product)
        _publish(home)  # the featured product is part of the home page's content
    return created


def _home_page(created):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's own migrations leave a plain "Welcome" page at /home/: replace it.
        for welcome in root.get_children().filter(slug="home", content_type__model="page"):
            if not welcome.get_children().exists():
                welcome.delete()
        home = root.add_child(
            instance=HomePage(title="Formulary Pharmacy", slug="home", intro=HOME_INTRO)
        )
        _publish(home)
        created.append(home)
    return home


def _products_index(home, created):
    index = ProductIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ProductIndexPage(
                title="Products",
                slug="products",
                intro="<p>Every medicine we supply, with information checked by our pharmacists.</p>",
            )
        )
        _publish(index)
        created.append(index)
    return index


def _baclofen(index):
    product = ProductPage(
        title="Baclofen 40 mg",
        slug="baclofen-40-mg",
        summary=BACLOFEN_SUMMARY,
        free_shipping=True,
        legal_status=LegalStatus.PRESCRIPTION_ONLY,
        accept_reviews=True,
        body=BACLOFEN_BODY,
        last_reviewed=date(2026, 3, 1),
        reviewed_by="A. Patel, MPharm, Superintendent Pharmacist",
        next_review_due=date(2027, 3, 1),
    )
    product.pack_sizes = [
        PackSize(quantity=qty, unit="tablets", price=price) for qty, price in BACLOFEN_PACKS
    ]
    index.add_child(instance=product)
    _publish(product)
    return product
