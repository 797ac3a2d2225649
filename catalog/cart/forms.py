"""The cart's forms: they turn posted fields into a pack or line and a count, or a clear error."""

import re

from django import forms

from catalog.models import PackSize

from .models import MAX_COUNT, NOT_AVAILABLE

NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # what a number field's value may be
COUNT_ERROR = f"Choose a number of packs from 1 to {MAX_COUNT}."


class CountField(forms.IntegerField):
    def __init__(self, **kwargs):
        messages = dict.fromkeys(["required", "invalid", "min_value", "max_value"], COUNT_ERROR)
        super().__init__(min_value=1, max_value=MAX_COUNT, error_messages=messages, **kwargs)


class AddToCartForm(forms.Form):
    """The product page's form (templates/catalog/includes/add_to_cart.html): its fields'
    ids are the page's own, so the error summary of a refused add links to them."""

    pack = forms.ModelChoiceField(
        queryset=PackSize.objects.select_related("page"),
        error_messages={
            "required": "Choose a pack size.",
            "invalid_choice": NOT_AVAILABLE,  # as for a pack of a draft: ids tell nothing
        },
    )
    count = CountField(widget=forms.NumberInput(attrs={"id": "add-to-cart-count"}))

    def link_pack_errors_to(self, pack):
        """The page's pack radios are `pack-<id>`: errors about the pack link to `pack`'s."""
        self.fields["pack"].widget.attrs["id"] = f"pack-{pack.pk}"

    def count_as_typed(self):
        """The count sent, for the number field shown again: a number as typed, else blank
        (a number field cannot hold "abc", and browsers show it blank anyway)."""
        typed = str(self["count"].value() or "").strip()
        return typed if NUMBER.fullmatch(typed) else ""


class LineForm(forms.Form):
    line = forms.IntegerField(
        min_value=1, error_messages=dict.fromkeys(["required", "invalid", "min_value"], "")
    )


class UpdateLineForm(LineForm):
    count = CountField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The cart page names each line's count field `count-<line>`: the error summary links there.
        line = str(self.data.get("line", "")) if self.is_bound else ""
        if line.isdigit():
            self.fields["count"].widget.attrs["id"] = f"count-{line}"


def first_error(form, default="That item is not in your cart any more."):
    """The first error message of a bound, invalid form (line id errors get `default`)."""
    for errors in form.errors.values():
        for message in errors:
            return message or default
    return default
