"""The checkout form, the customer's answer to a query, and the pharmacist's action form.

Every field says what is wrong in words a customer understands; the templates put each
message beside its field and in the summary at the top (includes/error_summary.html).
"""

import re
from datetime import date

from django import forms
from django.core.validators import RegexValidator

from .models import Fulfilment

# The shapes of UK postcodes (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA; GIR 0AA).
POSTCODE = re.compile(
    r"(GIR ?0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPS-UW]|[A-HK-Y]\d[ABEHMNPRV-Y])"
    r" ?\d[ABD-HJLNP-UW-Z]{2})"
)
# A UK number: 0 and 9 or 10 more digits, or +44 and 9 or 10 digits (spaces, dashes and
# brackets are ignored).
PHONE = re.compile(r"(0\d{9,10}|\+44\d{9,10})")
OLDEST_AGE = 120  # years: an older date of birth is a typing mistake
KEY = RegexValidator(r"^[A-Za-z0-9_-]{20,64}$", "")


def normalise_postcode(value):
    """'sw1a1aa' -> 'SW1A 1AA', or None if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_phone(value):
    """The number without spaces, dashes or brackets, or None if it is not a UK number."""
    compact = re.sub(r"[\s\-()]", "", value or "")
    return compact if PHONE.fullmatch(compact) else None


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class DescribedErrorsMixin:
    """Ties each error message to its field, so screen readers announce it with the field."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                widget.attrs["aria-invalid"] = "true"


class CheckoutForm(DescribedErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=120,
        error_messages={"required": "Enter your full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="A UK number: the pharmacist may call you about your order.",
        error_messages={"required": "Enter a phone number, like 01632 960 001 or 07700 900 982."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example, 27 March 1980. The pharmacist checks the medicine suits your age.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"],
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as a real date, like 27 March 1980.",
        },
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    fulfilment = forms.ChoiceField(
        label="Delivery or collection",
        choices=Fulfilment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose delivery to your address or collection from the pharmacy.",
            "invalid_choice": "Choose delivery to your address or collection from the pharmacy.",
        },
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": "10"}),
    )
    note_to_pharmacist = forms.CharField(
        label="A note to the pharmacist (optional)",
        max_length=1000,
        required=False,
        help_text="Anything the pharmacist should know, such as other medicines you take.",
        error_messages={"max_length": "Keep your note to 1,000 characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agree = forms.BooleanField(
        label="I agree to the terms of sale and the privacy notice",
        error_messages={
            "required": "Agree to the terms of sale and the privacy notice to place your order."
        },
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, validators=[KEY], error_messages={"required": ""}
    )
    seen_prices = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                "Enter a UK phone number, like 01632 960 001 or 07700 900 982."
            )
        return phone

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = date.today()
        if born > today:
            raise forms.ValidationError("Your date of birth must be in the past.")
        if born < years_before(today, OLDEST_AGE):
            raise forms.ValidationError("Check the year of your date of birth.")
        return born

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        postcode = normalise_postcode(value)
        if postcode is None:
            raise forms.ValidationError("Enter a UK postcode, like SW1A 1AA.")
        return postcode

    def clean(self):
        data = super().clean()
        if data.get("fulfilment") == Fulfilment.DELIVERY:
            required = {
                "address_line_1": "Enter the first line of your address.",
                "town": "Enter your town or city.",
                "postcode": "Enter your postcode.",
            }
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def lost_key(self):
        """The hidden key is missing or malformed (not the customer's doing)."""
        return "idempotency_key" in self.errors


class ReplyForm(DescribedErrorsMixin, forms.Form):
    reply = forms.CharField(
        label="Your answer",
        max_length=2000,
        error_messages={
            "required": "Write your answer to the pharmacy's question.",
            "max_length": "Keep your answer to 2,000 characters or fewer.",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PharmacistActionForm(forms.Form):
    """One of the pharmacist's actions on an order, with its note and message."""

    action = forms.ChoiceField(
        choices=(),
        error_messages={
            "required": "Choose one of the actions shown.",
            "invalid_choice": "That action is not possible for this order now: it may have "
            "moved on since the page was loaded.",
        },
    )
    message = forms.CharField(
        label="Message to the customer",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the customer's status page (never in an email). Required to query "
        "or refuse.",
    )
    tracking_reference = forms.CharField(
        label="Tracking reference (optional)", required=False, max_length=100
    )
    note = forms.CharField(
        label="Note for the pharmacy (not shown to the customer)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a.name, a.label) for a in actions]


class ExportForm(forms.Form):
    email = forms.EmailField(label="The customer's email address")
