"""The pharmacy's site-wide settings: read by every layer, so this module imports no page model."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class Currency(models.TextChoices):
    GBP = "GBP", "Pound sterling (£)"
    EUR = "EUR", "Euro (€)"
    USD = "USD", "US dollar ($)"


CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


class PrescriptionOnlySupply(models.TextChoices):
    """How a prescription-only medicine is sold (the rules: catalog/supply.py)."""

    CONSULTATION_FIRST = "consultation", "Consultation with our prescriber first"
    CUSTOMER_SENDS_PRESCRIPTION = (
        "prescription",
        "The customer sends a prescription, which the pharmacy checks before dispatch",
    )


GPHC_NUMBER = RegexValidator(
    r"^\d{7}$", "A GPhC registration number has 7 digits, as on the GPhC register."
)
COMPANY_NUMBER = RegexValidator(
    r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "A company number has 8 characters, as Companies House gives it: 8 digits, or 2 capital "
    "letters and 6 digits (e.g. SC for Scotland).",
)
CQC_ID = RegexValidator(
    r"^1-\d{5,12}$", "A CQC ID starts with '1-' followed by digits, as on the CQC's website."
)
GPHC_REGISTER_HOSTS = {"www.pharmacyregulation.org", "pharmacyregulation.org"}
# "Name, profession, regulator and number": at least a name and a number with digits.
PRESCRIBER_LINE = re.compile(r"^\s*\S.*\D.*\d{4,}.*$")


def validate_gphc_register_url(url):
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in GPHC_REGISTER_HOSTS:
        raise ValidationError(
            "Paste the address of your entry on the GPhC register "
            "(it starts with https://www.pharmacyregulation.org/)."
        )


def validate_prescribers(text):
    bad = [line for line in text.splitlines() if line.strip() and not PRESCRIBER_LINE.match(line)]
    if bad:
        raise ValidationError(
            "Write one prescriber a line with their name and registration, e.g. "
            f"'Dr A. Name, GP, GMC number 1234567'. Check: {bad[0].strip()[:60]}"
        )


@register_setting(icon="site")
class PharmacySettings(BaseGenericSetting):
    """What a pharmacy changes without a developer: contact details, currency, labels."""

    pharmacy_name = models.CharField(
        max_length=120,
        default="Formulary Pharmacy",
        help_text="The registered pharmacy's name: the site's brand and the footer heading.",
    )
    registration_number = models.CharField(
        "GPhC premises registration number",
        max_length=40,
        blank=True,
        validators=[GPHC_NUMBER],
        help_text="The pharmacy's 7-digit premises number on the GPhC register, shown in the "
        "footer of every page.",
    )
    register_entry_url = models.URLField(
        "GPhC register entry",
        blank=True,
        validators=[validate_gphc_register_url],
        help_text="The address of the pharmacy's entry on the GPhC register: the footer's "
        "premises number links to it.",
    )
    legal_owner = models.CharField(
        max_length=150,
        blank=True,
        help_text="The company or person who owns the pharmacy business, e.g. 'Example "
        "Pharmacy Ltd'.",
    )
    registered_address = models.TextField(
        blank=True,
        help_text="The owner's registered address, if it differs from the pharmacy's address.",
    )
    company_number = models.CharField(
        max_length=8, blank=True, validators=[COMPANY_NUMBER], help_text="Companies House number."
    )
    cqc_registration = models.CharField(
        "CQC registration",
        max_length=20,
        blank=True,
        validators=[CQC_ID],
        help_text="The Care Quality Commission ID, if the pharmacy's prescribing is registered "
        "with the CQC.",
    )
    superintendent_name = models.CharField(
        "superintendent pharmacist",
        max_length=150,
        blank=True,
        help_text="The superintendent pharmacist's name, as on the GPhC register.",
    )
    superintendent_registration_number = models.CharField(
        "superintendent's GPhC number",
        max_length=7,
        blank=True,
        validators=[GPHC_NUMBER],
        help_text="Their 7-digit GPhC registration number.",
    )
    prescribers = models.TextField(
        blank=True,
        validators=[validate_prescribers],
        help_text="The prescribers who consult for the pharmacy, one a line: name, profession "
        "and registration, e.g. 'Dr A. Name, GP, GMC number 1234567'. Shown on "
        "prescription-only pages.",
    )
    complaints = models.TextField(
        default="To make a complaint, write to or call the pharmacy and ask for the "
        "superintendent pharmacist.",
        blank=True,
        help_text="How to make a complaint, shown in the footer.",
    )
    complaints_escalation = models.TextField(
        default="If you are not happy with our answer, you can raise a concern about the "
        "pharmacy with the General Pharmaceutical Council (GPhC).",
        blank=True,
        help_text="To whom a customer can escalate a complaint.",
    )
    register_logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the GPhC voluntary internet pharmacy logo, or the EU common logo "
        "for sales into the EU or Northern Ireland. Its title is the alt text.",
    )
    register_logo_url = models.URLField(
        "logo links to",
        blank=True,
        help_text="The register entry the logo links to (for the EU common logo, the "
        "national register of online sellers). Leave blank to use the GPhC register entry.",
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
    prescription_only_supply = models.CharField(
        "prescription-only medicines",
        max_length=12,
        choices=PrescriptionOnlySupply.choices,
        default=PrescriptionOnlySupply.CONSULTATION_FIRST,
        help_text="UK pharmacies at a distance: a consultation with a prescriber comes before "
        "a prescription-only medicine can be chosen (GPhC guidance). Choose the second only "
        "if you dispense prescriptions customers already have.",
    )
    promote_prescription_only = models.BooleanField(
        "promotion on prescription-only pages",
        default=False,
        help_text="Off: no reviews, ratings, free-shipping badges or previous prices on "
        "prescription-only pages (UK: HMR 2012 regulation 284; EU: Directive 2001/83). "
        "Turn on only where the law allows it.",
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
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("address"),
            ],
            heading="Pharmacy contact details",
        ),
        MultiFieldPanel(
            [
                HelpPanel("Who runs the pharmacy: shown in the footer of every page."),
                FieldPanel("legal_owner"),
                FieldPanel("registered_address"),
                FieldRowPanel(
                    [FieldPanel("registration_number"), FieldPanel("register_entry_url")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("superintendent_name"),
                        FieldPanel("superintendent_registration_number"),
                    ]
                ),
                FieldRowPanel([FieldPanel("company_number"), FieldPanel("cqc_registration")]),
                FieldPanel("prescribers"),
                FieldPanel("complaints"),
                FieldPanel("complaints_escalation"),
                FieldRowPanel([FieldPanel("register_logo"), FieldPanel("register_logo_url")]),
            ],
            heading="Who we are",
        ),
        MultiFieldPanel(
            [FieldPanel("prescription_only_supply"), FieldPanel("promote_prescription_only")],
            heading="Supply rules",
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
        if self.register_logo_id and not (self.register_logo_url or self.register_entry_url):
            errors["register_logo_url"] = (
                "A register logo must link to the register entry: "
                "give this address or the GPhC register entry."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def register_logo_link(self):
        return self.register_logo_url or self.register_entry_url

    def prescriber_list(self):
        return [line.strip() for line in self.prescribers.splitlines() if line.strip()]

    @property
    def currency_symbol(self):
        return CURRENCY_SYMBOLS.get(self.currency, self.currency + " ")
