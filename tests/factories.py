"""Factories shared by the whole suite.

Pages are created the way Wagtail creates them (add_child under a parent) and
published through a revision, so tests see what a visitor would.
"""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site

from catalog.cart.models import Cart, CartLine, pack_label
from catalog.models import LegalStatus, PackSize, ProductCategory, ProductIndexPage, ProductPage
from catalog.reviews.models import Review, ReviewStatus
from home.models import HomePage


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under `parent` and publishes it (pass live=False for a draft)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            page.unpublish()
        page.refresh_from_db()
        return page


class HomePageFactory(PageFactory):
    class Meta:
        model = HomePage
        skip_postgeneration_save = True

    title = "Formulary Pharmacy"
    slug = factory.Sequence(lambda n: f"home-{n}")
    parent = factory.LazyFunction(Page.get_first_root_node)

    @factory.post_generation
    def make_default_site(page, create, extracted, **kwargs):
        if create:
            Site.objects.update_or_create(
                is_default_site=True,
                defaults={"hostname": "localhost", "port": 80, "root_page": page},
            )


class ProductIndexPageFactory(PageFactory):
    class Meta:
        model = ProductIndexPage
        skip_postgeneration_save = True

    title = "Products"
    slug = "products"
    parent = factory.SubFactory(HomePageFactory)


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


def section_blocks(count):
    """`count` sections, cycling through every section type, for a StreamField value."""
    kinds = [
        ("overview", {"heading": "Overview", "text": "<p>What it is.</p>"}),
        ("mechanism", {"heading": "How it works", "text": "<p>How it acts.</p>"}),
        ("uses", {"heading": "Uses", "intro": "<p>Used for:</p>", "conditions": ["Spasticity"]}),
        (
            "efficacy",
            {
                "heading": "Efficacy",
                "text": "<p>It helps.</p>",
                "key_facts": [{"label": "Onset", "value": "Hours"}],
            },
        ),
        (
            "dosage",
            {
                "heading": "Dosage",
                "text": "<p>Take it.</p>",
                "schedule": [{"when": "Day 1", "dose": "5 mg"}],
            },
        ),
        (
            "side_effects",
            {
                "heading": "Side effects",
                "common": ["Drowsiness"],
                "serious": ["Seizures"],
                "precautions": "<p>Care.</p>",
            },
        ),
        (
            "interactions",
            {
                "heading": "Interactions",
                "interactions": [{"substance": "Alcohol", "effect": "Drowsy"}],
            },
        ),
        ("conclusion", {"heading": "Summary", "text": "<p>In short.</p>"}),
        ("section", {"heading": "Storage", "text": "<p>Keep cool.</p>"}),
        ("warning", {"title": "Do not stop suddenly", "text": "<p>Taper.</p>"}),
    ]
    return [kinds[i % len(kinds)] for i in range(count)]


class ProductPageFactory(PageFactory):
    class Meta:
        model = ProductPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Medicine {n} 10 mg")
    summary = "A medicine used in tests."
    legal_status = LegalStatus.PHARMACY
    body = factory.LazyFunction(lambda: section_blocks(3))
    parent = factory.SubFactory(ProductIndexPageFactory)

    @factory.post_generation
    def packs(page, create, extracted, **kwargs):
        """packs=[30, 60] adds those pack sizes (price = quantity * 0.50)."""
        for quantity in extracted or []:
            PackSizeFactory(page=page, quantity=quantity)


class PackSizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackSize

    page = factory.SubFactory(ProductPageFactory)
    quantity = factory.Sequence(lambda n: 10 * (n + 1))
    unit = "tablets"
    price = factory.LazyAttribute(lambda o: (Decimal(o.quantity) / 2).quantize(Decimal("0.01")))
    in_stock = True


class ReviewFactory(factory.django.DjangoModelFactory):
    """An approved review by default (pass status=... for the others)."""

    class Meta:
        model = Review

    product = factory.SubFactory(ProductPageFactory, accept_reviews=True)
    product_title = factory.LazyAttribute(lambda o: o.product.title if o.product else "Gone")
    author_name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    rating = 4
    text = "It helped with the stiffness in my legs."
    status = ReviewStatus.APPROVED


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart


class CartLineFactory(factory.django.DjangoModelFactory):
    """A line put straight into a cart (tests of adding go through the add view instead)."""

    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    pack = factory.SubFactory(PackSizeFactory)
    count = 1
    description = factory.LazyAttribute(lambda o: pack_label(o.pack))
    price_when_added = factory.LazyAttribute(lambda o: o.pack.price)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff member; groups=["Editors"] puts them in the roles the migration created."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@pharmacy.test")
    first_name = factory.Sequence(lambda n: f"Staff {n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(*Group.objects.filter(name__in=extracted))


class ImageFactory(factory.django.DjangoModelFactory):
    """A small real image in the test media folder (a pack shot)."""

    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Pack shot {n}")
    file = factory.LazyFunction(get_test_image_file)
