"""What the patient is emailed: that something happened and the private link, never a
medicine, an answer or a reason (an email can be read by others)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from .models import ConsultationStatus

SUBJECTS = {
    ConsultationStatus.AWAITING_REVIEW: "We have your consultation {reference}",
    ConsultationStatus.QUESTION_ASKED: "A prescriber has a question: consultation {reference}",
    ConsultationStatus.APPROVED: "A prescriber has decided: consultation {reference}",
    ConsultationStatus.DECLINED: "A prescriber has decided: consultation {reference}",
}
BODIES = {
    ConsultationStatus.AWAITING_REVIEW: "Thank you. A prescriber will look at your consultation.",
    ConsultationStatus.QUESTION_ASKED: "A prescriber needs to ask you something before deciding.",
    ConsultationStatus.APPROVED: "A prescriber has made a decision on your consultation.",
    ConsultationStatus.DECLINED: "A prescriber has made a decision on your consultation.",
}


def status_url(consultation):
    site = Site.objects.filter(is_default_site=True).first()
    base = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("consultations:status", args=[consultation.token])


def _send(consultation, status):
    send_mail(
        SUBJECTS[status].format(reference=consultation.reference),
        f"{BODIES[status]}\n\nSee where it is, privately, at:\n{status_url(consultation)}\n\n"
        "Keep this link to yourself: anyone with it can see your consultation.",
        None,
        [consultation.email],
    )


def email_patient_after_commit(consultation):
    """Sent once the change is saved: a rolled-back decision sends nothing."""
    status = consultation.status
    transaction.on_commit(lambda: _send(consultation, status))
