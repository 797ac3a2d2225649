"""The home page (the pharmacy's settings are in site_settings.py)."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from catalog.models import ProductIndexPage, ProductPage
from catalog.routing import SpecificChildRoutingMixin

# Imported here so Django registers the setting with this app (label `home`).
from .site_settings import CURRENCY_SYMBOLS, Currency, PharmacySettings  # noqa: F401


class HomePage(SpecificChildRoutingMixin, Page):
    """The pharmacy's front page: an introduction and a few featured products."""

    heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="The page's main heading: what visitors can do here, e.g. 'Medicines and "
        "advice, delivered'. The pharmacy's name is already in the header; leave blank to use "
        "the title.",
    )
    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Introduces the pharmacy to visitors.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("heading"),
        FieldPanel("intro"),
        InlinePanel("featured_products", heading="Featured products", label="Product", max_num=6),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.ProductIndexPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ids = [f.product_id for f in self.featured_products.all()]
        products = {
            p.pk: p
            for p in ProductPage.objects.live().public().filter(pk__in=ids).with_lowest_price()
        }
        context["featured"] = [products[i] for i in ids if i in products]
        context["product_index"] = ProductIndexPage.objects.child_of(self).live().first()
        return context


class FeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalog.ProductPage",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="A product to show on the home page.",
    )

    panels = [FieldPanel("product")]
