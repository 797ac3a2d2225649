"""The public review form and the moderators' edit form."""

from django import forms
from django.core.validators import MinLengthValidator
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Review


class ReviewForm(forms.ModelForm):
    """What a visitor fills in on the product page.

    `website` is a honeypot (hidden from people, filled by bots) and `started` a
    signed timestamp of when the form was shown: both feed the spam check.
    """

    rating = forms.TypedChoiceField(
        label="Rating",
        choices=[(n, f"{n} out of 5") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a rating from 1 to 5.",
            "invalid_choice": "Choose a rating from 1 to 5.",
        },
    )
    website = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Review
        fields = ["rating", "text", "author_name", "email"]
        labels = {"text": "Your review", "author_name": "Name", "email": "Email"}
        help_texts = {"email": ""}  # the form's note already says it is never published
        # In plain words, each naming the field it is about (the error summary lists them).
        error_messages = {
            "text": {
                "required": "Write your review.",
                "min_length": "Your review needs at least 10 characters.",
                "max_length": "Your review can have at most 5,000 characters: shorten it.",
            },
            "author_name": {
                "required": "Enter your name.",
                "max_length": "Your name can have at most 100 characters.",
            },
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.com.",
                "max_length": "Your email address can have at most 254 characters.",
            },
        }

    def __init__(self, *args, started=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].validators.append(MinLengthValidator(10))
        self.fields["text"].widget = forms.Textarea(attrs={"rows": 6, "maxlength": 5000})
        if started is not None:
            self.initial["started"] = started
        for name in ("author_name", "email"):
            self.fields[name].widget.attrs.setdefault(
                "autocomplete", "name" if name == "author_name" else "email"
            )

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field, so screen readers announce it with the field.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"


class ReviewModerationForm(WagtailAdminModelForm):
    """The admin edit form: changing the status records who moderated it and when."""

    def save(self, commit=True):
        review = super().save(commit=False)
        if "status" in self.changed_data:
            review.moderated_at = timezone.now()
            review.moderated_by = self.for_user
        if commit:
            review.save()
        return review
