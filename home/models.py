"""The home page and the pharmacy's site-wide settings."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from catalog.routing import SpecificChildRoutingMixin


class HomePage(SpecificChildRoutingMixin, Page):
    """The pharmacy's front page: an introduction and a few featured products."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Introduces the pharmacy to visitors.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_products", heading="Featured products", label="Product", max_num=6),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.ProductIndexPage"]

    def get_context(self, request, *args, **kwargs):
        from catalog.models import ProductIndexPage, ProductPage

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


class Currency(models.TextChoices):
    GBP = "GBP", "Pound sterling (£)"
    EUR = "EUR", "Euro (€)"
    USD = "USD", "US dollar ($)"


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


@register_setting(icon="site")
class PharmacySettings(BaseGenericSetting):
    """What a pharmacy changes without a developer: contact details, currency, labels."""

    pharmacy_name = models.CharField(
        max_length=120,
        default="Formulary Pharmacy",
        help_text="The registered pharmacy's name: the site's brand and the footer heading.",
    )
    registration_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="The pharmacy's regulator registration number, shown in the footer.",
    )
    phone = models.CharField(max_length=40, blank=True, help_text="Shown in the footer.")
    email = models.EmailField(blank=True, help_text="Public contact address.")
    address = models.TextField(blank=True, help_text="Postal address, shown in the footer.")
    currency = models.CharField(
        max_length=3,
        choices=Currency.choices,
        default=Currency.GBP,
        help_text="The currency every price on the site is shown in.",
    )
    free_shipping_label = models.CharField(
        max_length=40, default="+ Free Shipping", help_text="The badge on free-shipping products."
    )
    shipping_returns_text = models.TextField(
        blank=True, help_text="Shipping and returns information shown on product pages."
    )
    adverse_event_url = models.URLField(
        default="https://yellowcard.mhra.gov.uk/",
        help_text="Where visitors report a suspected side effect (linked on every product page).",
    )
    review_notification_emails = models.TextField(
        blank=True,
        help_text="Addresses emailed when a customer submits a review, one per line.",
    )
    ordering_instructions = models.TextField(
        default="We do not take payment online yet. To order, call the pharmacy: a pharmacist "
        "will confirm your order and any prescription needed.",
        help_text="Shown in the cart: how to complete an order.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("pharmacy_name"),
                FieldPanel("registration_number"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("address"),
            ],
            heading="Pharmacy contact details",
        ),
        MultiFieldPanel(
            [
                FieldPanel("currency"),
                FieldPanel("free_shipping_label"),
                FieldPanel("shipping_returns_text"),
                FieldPanel("ordering_instructions"),
            ],
            heading="Shop",
        ),
        MultiFieldPanel(
            [FieldPanel("adverse_event_url"), FieldPanel("review_notification_emails")],
            heading="Safety and reviews",
        ),
    ]

    class Meta:
        verbose_name = "pharmacy settings"

    @property
    def currency_symbol(self):
        return CURRENCY_SYMBOLS.get(self.currency, self.currency + " ")
