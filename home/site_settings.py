"""The pharmacy's site-wide settings: read by every layer, so this module imports no page model."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
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
    # Shopping listings in search engines (catalog/merchant_listing.py): shipping and returns.
    shipping_country = models.CharField(
        max_length=2,
        default="GB",
        help_text="The country you deliver to, as a two-letter code (GB for the United Kingdom).",
    )
    shipping_price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The delivery price of products without free shipping, as the shipping text "
        "above states it. Leave blank if it varies: listings then state delivery only for "
        "free-shipping products.",
    )
    delivery_days_min = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Fewest working days from order to delivery (optional)."
    )
    delivery_days_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most working days from order to delivery (optional)."
    )
    returns_accepted = models.BooleanField(
        default=False,
        help_text="Leave off for medicines: once supplied they cannot be taken back, and "
        "shopping listings say that returns are not accepted.",
    )
    return_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="If returns are accepted: within how many days of delivery.",
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
            [
                FieldPanel("shipping_country"),
                FieldPanel("shipping_price"),
                FieldPanel("delivery_days_min"),
                FieldPanel("delivery_days_max"),
                FieldPanel("returns_accepted"),
                FieldPanel("return_days"),
            ],
            heading="Shopping listings (search engines)",
        ),
        MultiFieldPanel(
            [FieldPanel("adverse_event_url"), FieldPanel("review_notification_emails")],
            heading="Safety and reviews",
        ),
    ]

    class Meta:
        verbose_name = "pharmacy settings"

    def clean(self):
        super().clean()
        errors = {}
        low, high = self.delivery_days_min, self.delivery_days_max
        if low is not None and high is not None and high < low:
            errors["delivery_days_max"] = "The most days cannot be fewer than the fewest days."
        if self.returns_accepted and not self.return_days:
            errors["return_days"] = "Say within how many days returns are accepted."
        self.shipping_country = self.shipping_country.strip().upper()
        if len(self.shipping_country) != 2 or not self.shipping_country.isalpha():
            errors["shipping_country"] = "Enter a two-letter country code, such as GB."
        if errors:
            raise ValidationError(errors)

    @property
    def currency_symbol(self):
        return CURRENCY_SYMBOLS.get(self.currency, self.currency + " ")
