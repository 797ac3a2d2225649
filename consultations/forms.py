"""The patient's forms (details, preferred pack, a reply) and the prescriber's decisions."""

import re
from datetime import date

from django import forms

from catalog.cart.models import MAX_COUNT
from catalog.models import PackSize

PHONE = re.compile(r"^\+?[0-9 ()-]+$")


class PatientDetailsForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example 27/03/1980.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y"],
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as day/month/year, for example 27/03/1980.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="We email you when a prescriber has looked at your consultation.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        error_messages={"required": "Enter a phone number a prescriber can call."},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    address = forms.CharField(
        label="Address",
        max_length=500,
        help_text="Where the medicine would be sent, with the postcode.",
        error_messages={
            "required": "Enter your address.",
            "max_length": "Keep the address under 500 characters.",
        },
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    gp_practice = forms.CharField(
        label="GP practice (optional)",
        max_length=200,
        required=False,
        help_text="The name and town of your GP practice, if you have one.",
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born >= date.today():
            raise forms.ValidationError("Your date of birth must be in the past.")
        if born.year < 1900:
            raise forms.ValidationError("Check the year of your date of birth.")
        return born

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 7:
            raise forms.ValidationError("Enter a phone number using digits, like 01632 960 001.")
        return phone

    def stored(self):
        data = dict(self.cleaned_data)
        data["date_of_birth"] = data["date_of_birth"].isoformat()
        return data


class PackPreferenceForm(forms.Form):
    pack = forms.ModelChoiceField(
        label="Your preferred pack",
        queryset=None,
        required=False,
        empty_label="No preference",
        widget=forms.RadioSelect,
        help_text="Your preference only: the prescriber decides what is prescribed.",
        error_messages={"invalid_choice": "Choose one of the packs shown."},
    )

    def __init__(self, product, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].queryset = product.pack_sizes.filter(in_stock=True)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your answer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Write your answer to the prescriber's question.",
            "max_length": "Keep your answer under 2000 characters.",
        },
    )


def _required_text(label, message, rows=4):
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
    )


class ApproveForm(forms.Form):
    pack = forms.ModelChoiceField(
        label="Pack prescribed",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the pack you prescribe."},
    )
    count = forms.IntegerField(
        label="Number of packs",
        min_value=1,
        max_value=MAX_COUNT,
        initial=1,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"],
            f"Enter a number of packs from 1 to {MAX_COUNT}.",
        ),
    )
    reason = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your decision; not sent to the patient.",
    )

    def __init__(self, product, *args, **kwargs):
        super().__init__(*args, **kwargs)
        packs = PackSize.objects.filter(page=product) if product else PackSize.objects.none()
        self.fields["pack"].queryset = packs


class AskForm(forms.Form):
    reason = _required_text(
        "Your question to the patient",
        "Write the question for the patient.",
    )


class DeclineForm(forms.Form):
    reason = _required_text(
        "Reason for declining",
        "Write the reason for declining: it is recorded with your decision.",
    )
