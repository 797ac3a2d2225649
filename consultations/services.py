"""The rules of a consultation: which questionnaire is asked, submission, decisions.

Views call these; nothing here knows about HTTP.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from catalog.models import LegalStatus
from orders.models import Order
from orders.services import place_prescribed_order

from .blocks import ATTENTION, STOP
from .emails import email_patient_after_commit
from .models import (
    Answer,
    Consultation,
    ConsultationStatus,
    Decision,
    DecisionKind,
    Prescriber,
    Questionnaire,
)


class DecisionRefused(Exception):
    """Why a prescriber's decision cannot be recorded (shown to them as it is)."""


def questionnaire_for(product):
    """The live questionnaire asked for `product`, or None.

    The cart's add view can call this for a pharmacy medicine (issue 20, point 4)."""
    if product is None:
        return None
    return Questionnaire.objects.filter(live=True, products=product).order_by("title").first()


def consultation_open_for(product):
    """A prescription-only medicine, live and public, with a live questionnaire."""
    if product is None or not product.live or product.get_view_restrictions().exists():
        return None
    if product.legal_status != LegalStatus.PRESCRIPTION_ONLY:
        return None
    return questionnaire_for(product)


def record_answers(draft, questionnaire, raw, rows):
    """Keep the answers, the questions as read and the version answered, on the draft."""
    draft.questionnaire = questionnaire
    draft.questionnaire_revision_id = questionnaire.live_revision_id
    draft.answers = raw
    draft.answered = [
        {"question": row.question, "answer": row.answer, "flag": row.flag} for row in rows
    ]
    draft.save()


@transaction.atomic
def submit(draft):
    """The draft becomes a consultation awaiting review; the patient is emailed."""
    details = draft.details
    rows = draft.answered
    pack = draft.preferred_pack
    consultation = Consultation.objects.create(
        product=draft.product,
        product_title=draft.product.title,
        questionnaire=draft.questionnaire,
        questionnaire_title=draft.questionnaire.title,
        questionnaire_revision_id=draft.questionnaire_revision_id,
        has_flags=any(row["flag"] in (ATTENTION, STOP) for row in rows),
        name=details["name"],
        date_of_birth=date.fromisoformat(details["date_of_birth"]),
        email=details["email"],
        phone=details["phone"],
        address=details["address"],
        gp_practice=details.get("gp_practice", ""),
        preferred_pack=pack,
        preferred_pack_label=str(pack) if pack else "",
    )
    Answer.objects.bulk_create(
        Answer(
            consultation=consultation,
            position=position,
            question=row["question"],
            answer=row["answer"],
            flag=row["flag"],
            questionnaire_revision_id=draft.questionnaire_revision_id,
        )
        for position, row in enumerate(rows)
    )
    draft.delete()
    email_patient_after_commit(consultation)
    return consultation


# --- Prescribers' decisions -------------------------------------------------------------


def can_review(user):
    return user.is_authenticated and user.has_perm("consultations.review_consultation")


def _prescriber_of(user):
    profile = getattr(user, "prescriber", None)
    if profile is None:
        raise DecisionRefused(
            "Your prescriber profile (name, registration body and number) is missing: "
            "ask an administrator to add it before you decide on consultations."
        )
    return profile


def _locked(consultation, *allowed):
    """The consultation, re-read under a row lock: two prescribers cannot both decide."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status not in allowed:
        raise DecisionRefused(
            f"This consultation is {locked.get_status_display().lower()}: "
            "it cannot be decided on now."
        )
    return locked


def _record(consultation, user, kind, reason, **extra):
    profile = _prescriber_of(user)
    return Decision.objects.create(
        consultation=consultation,
        kind=kind,
        prescriber_user=user,
        prescriber_name=profile.name,
        registration_body=profile.registration_body,
        registration_number=profile.registration_number,
        reason=reason,
        **extra,
    )


@transaction.atomic
def approve(consultation, user, pack, count, note=""):
    _prescriber_of(user)
    consultation = _locked(consultation, ConsultationStatus.AWAITING_REVIEW)
    if user.email and user.email.strip().lower() == consultation.email.strip().lower():
        raise DecisionRefused(
            "This consultation has your own email address: another prescriber must decide on it."
        )
    if pack.page_id != consultation.product_id:
        raise DecisionRefused("Choose a pack of the medicine the patient asked about.")
    decision = _record(
        consultation, user, DecisionKind.APPROVED, note, pack_label=str(pack), count=count
    )
    consultation.status = ConsultationStatus.APPROVED
    consultation.save(update_fields=["status", "updated_at"])
    create_prescribed_order(consultation, pack, count, user)
    email_patient_after_commit(consultation)
    return decision


@transaction.atomic
def ask(consultation, user, question):
    _prescriber_of(user)
    consultation = _locked(consultation, ConsultationStatus.AWAITING_REVIEW)
    decision = _record(consultation, user, DecisionKind.QUESTION, question)
    consultation.status = ConsultationStatus.QUESTION_ASKED
    consultation.save(update_fields=["status", "updated_at"])
    email_patient_after_commit(consultation)
    return decision


@transaction.atomic
def decline(consultation, user, reason):
    _prescriber_of(user)
    consultation = _locked(
        consultation, ConsultationStatus.AWAITING_REVIEW, ConsultationStatus.QUESTION_ASKED
    )
    decision = _record(consultation, user, DecisionKind.DECLINED, reason)
    consultation.status = ConsultationStatus.DECLINED
    consultation.save(update_fields=["status", "updated_at"])
    email_patient_after_commit(consultation)
    return decision


@dataclass
class Reply:
    accepted: bool
    message: str = ""


@transaction.atomic
def reply(consultation, text):
    """The patient answers the open question: back to the prescribers' queue."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    question = (
        consultation.decisions.filter(kind=DecisionKind.QUESTION, replied_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if consultation.status != ConsultationStatus.QUESTION_ASKED or question is None:
        return Reply(False, "There is no open question on this consultation.")
    question.reply = text
    question.replied_at = timezone.now()
    question.save(update_fields=["reply", "replied_at"])
    consultation.status = ConsultationStatus.AWAITING_REVIEW
    consultation.save(update_fields=["status", "updated_at"])
    return Reply(True)


def create_prescribed_order(consultation, pack, count, prescriber):
    """The approval's order: "prescribed", on to the pharmacist's clinical check (orders/).

    The prescription is also recorded on the consultation, which keeps its history when the
    order is later anonymised under the orders' retention period."""
    consultation.prescribed_pack = pack
    consultation.prescribed_pack_label = str(pack)
    consultation.prescribed_count = count
    consultation.save(
        update_fields=["prescribed_pack", "prescribed_pack_label", "prescribed_count"]
    )
    profile = Prescriber.objects.filter(user=prescriber).first()
    return place_prescribed_order(
        patient_details(consultation),
        pack.page,
        pack,
        count,
        prescriber,
        consultation.reference,
        prescriber_name=str(profile) if profile else "",
    )


def prescribed_order(consultation):
    """The order the approval made (its status page is the patient's next step), or None."""
    if consultation.status != ConsultationStatus.APPROVED:
        return None
    return Order.objects.filter(consultation_reference=consultation.reference).first()


UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\s*$", re.I)


def patient_details(consultation):
    """The order's customer details from the consultation: delivered to the address given
    (one text box there; its first line, the rest and a UK postcode at its end)."""
    lines = [line.strip() for line in consultation.address.splitlines() if line.strip()]
    postcode = UK_POSTCODE.search(lines[-1]) if lines else None
    if postcode:
        lines[-1] = lines[-1][: postcode.start()].strip(" ,")
        lines = [line for line in lines if line]
    return {
        "name": consultation.name,
        "email": consultation.email,
        "phone": consultation.phone,
        "date_of_birth": consultation.date_of_birth,
        "fulfilment": "delivery",
        "address_line_1": (lines[0] if lines else "")[:120],
        "address_line_2": ", ".join(lines[1:])[:120],
        "town": "",
        "postcode": postcode.group(1).upper() if postcode else "",
        "note_to_pharmacist": "",
    }
