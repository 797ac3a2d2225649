"""The pharmacy's site-wide settings: read by every layer, so this module imports no page model."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


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
