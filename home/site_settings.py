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
        help_text="Shown in the cart when orders are taken by phone only: how to order.",
    )
    phone_orders_only = models.BooleanField(
        default=False,
        help_text="Take orders by phone only: the cart shows the ordering instructions above "
        "instead of a “Check out” button.",
    )
    payment_instructions = models.TextField(
        default="We do not take payment online. Once a pharmacist has checked your order, we "
        "contact you to take payment; if you collect it, you can pay when you collect it.",
        help_text="Shown at checkout and on the confirmation: how and when the customer pays.",
    )
    prescription_instructions = models.TextField(
        default="Send us your prescription with your order reference: post the paper "
        "prescription to the pharmacy, or ask your prescriber to send it to us electronically.",
        help_text="Shown on the confirmation of an order that waits for a prescription: how to "
        "send it.",
    )
    terms_url = models.URLField(
        blank=True, help_text="The terms of sale the customer agrees to at checkout."
    )
    privacy_url = models.URLField(
        blank=True, help_text="The privacy notice the customer agrees to at checkout."
    )
    order_retention_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years to keep the customer's details on completed and cancelled orders, as "
        "your pharmacy's records policy says; then `manage.py purge_orders` anonymises them. "
        "Empty: nothing is anonymised.",
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
            ],
            heading="Shop",
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone_orders_only"),
                FieldPanel("ordering_instructions"),
                FieldPanel("payment_instructions"),
                FieldPanel("prescription_instructions"),
                FieldPanel("terms_url"),
                FieldPanel("privacy_url"),
                FieldPanel("order_retention_years"),
            ],
            heading="Orders",
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
