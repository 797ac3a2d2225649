"""The demo catalogue: Home -> Products -> "Baclofen 40 mg" and "Paracetamol 500 mg tablets".

Written for this project from the facts of the page it was modelled on (not its
sentences). Building it is idempotent: pages that exist are left as editors
last saved them, except that a Baclofen page from before the patient-information
sections gains them once (see _upgrade_baclofen).
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from consultations.demo import load_consultation_demo, load_pharmacy_questions_demo
from home.models import HomePage
from home.site_settings import PharmacySettings

from .demo_sections import (
    BACLOFEN_FACTS,
    BACLOFEN_PATIENT_SECTIONS,
    PARACETAMOL,
    PARACETAMOL_FACTS,
    PHARMACY_PARACETAMOL,
    STANDARD_TEXTS,
    paracetamol_body,
)
from .models import (
    ActiveIngredient,
    LegalStatus,
    PackSize,
    ProductIndexPage,
    ProductIngredient,
    ProductPage,
    StandardText,
)
from .pdf import text_pdf
from .signoff import require_medical_sign_off

HOME_HEADING = "Medicines you can understand, from pharmacists you can ask"
HOME_INTRO = (
    "<p>Clear, checked information about the medicines we supply, written and reviewed by "
    "our pharmacists. Choose a pack size, and we will confirm your order with you.</p>"
)

BACLOFEN_SUMMARY = (
    "A high-strength muscle relaxant for severe spasticity in conditions such as multiple "
    "sclerosis, spinal cord injury and cerebral palsy."
)

# The sections of the page the project was modelled on, in its order (tests render them).
BACLOFEN_SEED_BODY = [
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

BACLOFEN_BODY = BACLOFEN_SEED_BODY  # the name catalog/generator.py imports

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
    "registration_number": "9000000",
    # Who runs it (the footer, issue 18): fictional; the numbers only a real pharmacy has stay
    # blank, and the footer leaves them out.
    "legal_owner": "Formulary Pharmacy Ltd (a fictional company, for this demo)",
    "superintendent_name": "A. Patel, MPharm",
    "phone": "020 7946 0123",
    "email": "pharmacy@example.com",
    "address": "1 Example Street\nLondon\nEX1 2MP",
    "complaints": (
        "To make a complaint, call or write to the pharmacy and ask for the superintendent "
        "pharmacist, who will look into it and reply to you."
    ),
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
    _pharmacy_settings()
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
    texts = _standard_texts()
    _upgrade_baclofen(ProductPage.objects.get(slug="baclofen-40-mg"), texts)
    if not ProductPage.objects.filter(slug=PARACETAMOL["slug"]).exists():
        created.append(_paracetamol(index, texts))
    if not ProductPage.objects.filter(slug=PHARMACY_PARACETAMOL["slug"]).exists():
        created.append(_pharmacy_paracetamol(index, texts))
    _paracetamol_limit()
    load_consultation_demo(ProductPage.objects.get(slug="baclofen-40-mg"))
    load_pharmacy_questions_demo(ProductPage.objects.get(slug=PHARMACY_PARACETAMOL["slug"]))
    return created


def _pharmacy_paracetamol(index, texts):
    """The pharmacy medicine of the demo: its questions come before its pack goes in the cart."""
    product = PHARMACY_PARACETAMOL
    return _paracetamol(index, texts, product, LegalStatus.PHARMACY, product["quantity"])


# The demo's settings before the pharmacy's identity fields (its number would not validate).
OLD_DEMO_REGISTRATION = "9000000 (demo)"
# The example of a limit across products: one order holds at most 32 paracetamol tablets.
PARACETAMOL_UNITS_PER_ORDER = 32


def _pharmacy_settings():
    """The demo's Pharmacy settings, once; settings from an earlier demo gain the identity."""
    pharmacy = PharmacySettings.objects.first()
    if pharmacy is None:
        PharmacySettings.objects.create(**DEMO_PHARMACY)
    elif pharmacy.registration_number == OLD_DEMO_REGISTRATION:
        for name in ["registration_number", "legal_owner", "superintendent_name"]:
            setattr(pharmacy, name, DEMO_PHARMACY[name])
        pharmacy.save()


def _paracetamol_limit():
    """The general-sale demo product carries a limit: paracetamol's units per order."""
    ActiveIngredient.objects.filter(name="Paracetamol", max_units_per_order=None).update(
        max_units_per_order=PARACETAMOL_UNITS_PER_ORDER
    )


def _home_page(created):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's own migrations leave a plain "Welcome" page at /home/: replace it.
        for welcome in root.get_children().filter(slug="home", content_type__model="page"):
            if not welcome.get_children().exists():
                welcome.delete()
        home = root.add_child(
            instance=HomePage(
                title="Formulary Pharmacy", slug="home", heading=HOME_HEADING, intro=HOME_INTRO
            )
        )
        _publish(home)
        created.append(home)
    elif not home.heading:  # a demo loaded before the home page had its own heading
        home.heading = HOME_HEADING
        _publish(home)
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
        body=BACLOFEN_SEED_BODY,
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


def _standard_texts():
    """The demo's standard texts by title (created once; editors may change them)."""
    texts = {}
    for title, text in STANDARD_TEXTS.items():
        texts[title], created = StandardText.objects.get_or_create(
            title=title, defaults={"text": text}
        )
        if created:
            texts[title].save_revision()
    return texts


def _demo_leaflet(product_title):
    """A generated PDF standing in for the leaflet (a real one comes with the medicine)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    title = f"{product_title}: patient information leaflet (demo)"
    document = Document.objects.filter(title=title).first()
    if document is None:
        pdf = text_pdf(
            title,
            [
                "This is a demonstration file, not a real patient information leaflet.",
                "The leaflet in the medicine's pack is the one to read and follow.",
                "Ask your pharmacist if you have any questions about your medicine.",
            ],
        )
        name = f"{slugify(product_title)}-leaflet-demo.pdf"
        document = Document(title=title)
        document.file.save(name, ContentFile(pdf), save=False)
        document.file_size = len(pdf)
        document.save()
    return document


def _set_facts(page, facts, ingredient_name, strength):
    for name, value in facts.items():
        setattr(page, name, value)
    ingredient, _ = ActiveIngredient.objects.get_or_create(name=ingredient_name)
    page.ingredients = [ProductIngredient(ingredient=ingredient, strength=strength, unit="mg")]
    page.leaflet = _demo_leaflet(page.title)


def _upgrade_baclofen(product, texts):
    """Give the Baclofen page the patient-information sections and its medicine facts,
    once: a page that already has them (or that an editor emptied) is left alone."""
    page = product.get_latest_revision_as_object()
    if page.ingredients.exists() or any(b.block_type == "who_can_take" for b in page.body):
        return
    after = list(BACLOFEN_PATIENT_SECTIONS[1:])
    # The shared sentence goes after the storage section, before the common questions.
    after.insert(-1, ("standard_text", {"text": texts["Keep out of reach of children"]}))
    page.body = [*BACLOFEN_PATIENT_SECTIONS[:1], *_raw(page.body), *after]
    _set_facts(page, BACLOFEN_FACTS, "Baclofen", Decimal("40"))
    page.leaflet_revised = date(2026, 2, 1)  # before the last review (1 March 2026)
    _publish(page)


def _raw(body):
    return [(block.block_type, block.value) for block in body]


def _paracetamol(index, texts, product=PARACETAMOL, status=LegalStatus.GENERAL_SALE, quantity=16):
    page = ProductPage(
        title=product["title"],
        slug=product["slug"],
        summary=product["summary"],
        legal_status=status,
        body=paracetamol_body(texts),
        last_reviewed=date(2026, 3, 1),
        reviewed_by="A. Patel, MPharm, Superintendent Pharmacist",
        next_review_due=date(2027, 3, 1),
    )
    page.pack_sizes = [PackSize(quantity=quantity, unit="tablets", price=product["price"])]
    _set_facts(page, PARACETAMOL_FACTS, "Paracetamol", Decimal("500"))
    page.leaflet_revised = date(2026, 2, 1)
    index.add_child(instance=page)
    _publish(page)
    return page
