"""Questionnaires (written in the CMS), consultations, their answers, decisions and prescribers.

A questionnaire is a snippet, not a page: it has no public URL of its own (it is asked
from a product) and is attached to products, yet it has revisions, drafts and the
medical sign-off workflow like a product page. A consultation copies what it answered
(the question text, the answer, its flag, the revision): editing a live questionnaire
never changes a past consultation.
"""

import secrets

from django.conf import settings
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from .blocks import QuestionsBlock

DEFAULT_STOP_MESSAGE = (
    "This medicine is not suitable to buy online. Please speak to your GP or a pharmacist."
)


def new_token():
    return secrets.token_urlsafe(32)


def new_reference():
    """Short enough to read over the phone; the token, not this, opens the status page."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "C-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Questionnaire(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    title = models.CharField(
        max_length=120, help_text="How editors find it, e.g. 'Muscle spasticity'."
    )
    products = ParentalManyToManyField(
        "catalog.ProductPage",
        blank=True,
        related_name="questionnaires",
        help_text="The products this questionnaire is asked for (e.g. every medicine for one "
        "condition). A product needs one live questionnaire for its consultation to open.",
    )
    intro = models.TextField(
        blank=True, max_length=1000, help_text="Optional: shown above the questions."
    )
    questions = StreamField(
        QuestionsBlock(), help_text="The questions, in the order patients answer them."
    )
    stop_message = models.TextField(
        max_length=600,
        default=DEFAULT_STOP_MESSAGE,
        help_text="What a patient reads when an answer marked “stop” ends the questionnaire. "
        "A question may have its own.",
    )
    panels = [
        FieldPanel("title"),
        FieldPanel("products"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("stop_message"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = "questionnaire"

    def __str__(self):
        return self.title


class RegistrationBody(models.TextChoices):
    GMC = "gmc", "General Medical Council (GMC)"
    GPHC = "gphc", "General Pharmaceutical Council (GPhC)"
    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    PSNI = "psni", "Pharmaceutical Society of Northern Ireland (PSNI)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"


class Prescriber(models.Model):
    """A prescriber's professional identity, recorded with each of their decisions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prescriber"
    )
    name = models.CharField(max_length=150, help_text="As on the register, e.g. 'Dr A. Khan'.")
    registration_body = models.CharField(max_length=8, choices=RegistrationBody.choices)
    registration_number = models.CharField(max_length=30)

    panels = [
        FieldPanel("user"),
        FieldPanel("name"),
        FieldPanel("registration_body"),
        FieldPanel("registration_number"),
    ]

    class Meta:
        verbose_name = "prescriber profile"

    def __str__(self):
        return f"{self.name} ({self.get_registration_body_display()} {self.registration_number})"


class ConsultationStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting", "Awaiting review"
    QUESTION_ASKED = "question", "Question asked"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ConsultationDraft(models.Model):
    """A visitor's consultation in progress, kept on the server under a random token (the
    visitor holds it in a cookie); deleted on submission, purged when old."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="+")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    # The version answered, and each question with its answer as the visitor read them.
    questionnaire_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    answered = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    preferred_pack = models.ForeignKey(
        "catalog.PackSize", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pack_step_done = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Consultation in progress ({self.pk})"


class Consultation(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    status = models.CharField(
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.AWAITING_REVIEW,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    product = models.ForeignKey(
        "catalog.ProductPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_title = models.CharField(max_length=255)
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    questionnaire_title = models.CharField(max_length=120)
    questionnaire_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_flags = models.BooleanField(
        default=False, help_text="An answer needs the prescriber's attention."
    )

    # The patient, as they gave their details.
    name = models.CharField(max_length=150)
    date_of_birth = models.DateField()
    email = models.EmailField()
    phone = models.CharField(max_length=30)
    address = models.TextField(max_length=500)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)

    preferred_pack = models.ForeignKey(
        "catalog.PackSize", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preferred_pack_label = models.CharField(max_length=100, blank=True)
    # What the prescriber prescribed (the orders flow takes it from here).
    prescribed_pack = models.ForeignKey(
        "catalog.PackSize", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prescribed_pack_label = models.CharField(max_length=100, blank=True)
    prescribed_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        permissions = [("review_consultation", "Can review consultations and decide on them")]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.reference

    @property
    def is_awaiting_review(self):
        return self.status == ConsultationStatus.AWAITING_REVIEW


class Answer(models.Model):
    """One answer, with the question as the patient read it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300)
    answer = models.TextField()
    flag = models.CharField(max_length=10, blank=True)
    questionnaire_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.question

    @property
    def needs_attention(self):
        return bool(self.flag)


class DecisionKind(models.TextChoices):
    APPROVED = "approved", "Approved"
    QUESTION = "question", "Asked the patient a question"
    DECLINED = "declined", "Declined"


class Decision(models.Model):
    """A prescriber's decision: who, when, their registration, why. Never changed or deleted
    (only the retention purge removes a whole consultation)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    prescriber_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prescriber_name = models.CharField(max_length=150)
    registration_body = models.CharField(max_length=8, choices=RegistrationBody.choices)
    registration_number = models.CharField(max_length=30)
    reason = models.TextField(
        blank=True, max_length=2000, help_text="The reason, or the question asked."
    )
    pack_label = models.CharField(max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    # The patient's reply to a question, from their status page.
    reply = models.TextField(blank=True, max_length=2000)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.prescriber_name}"


class PharmacyAnswers(models.Model):
    """A visitor's answers to a pharmacy medicine's questionnaire, asked before the pack goes
    into the cart; they travel with the order to the pharmacist's clinical check."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="+")
    questionnaire_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered = models.JSONField(default=list)
    has_flags = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "pharmacy answers"

    def __str__(self):
        return f"Answers for {self.product_id} ({self.created_at:%Y-%m-%d})"
