"""Pharmacy (P) medicines: the product's questionnaire is answered before the pack goes into
the cart. A stop answer blocks it with its message; the answers are kept (PharmacyAnswers,
named in the visitor's session) to travel with the order to the pharmacist.

The cart's add view calls `questions_url(request, pack, count)` first (see
docs/consultations.md).
"""

from urllib.parse import urlencode

from django.urls import reverse

from catalog.models import LegalStatus

from .blocks import ATTENTION, STOP
from .models import PharmacyAnswers
from .services import questionnaire_for

SESSION_KEY = "pharmacy_answers"  # {product id: PharmacyAnswers token}


def asks_questions(product):
    """The live questionnaire of a pharmacy medicine, or None."""
    if product is None or product.legal_status != LegalStatus.PHARMACY:
        return None
    return questionnaire_for(product)


def answers_for(request, product):
    """The visitor's answers to the product's current questionnaire, or None."""
    questionnaire = asks_questions(product)
    session = getattr(request, "session", None)
    if questionnaire is None or session is None:
        return None
    token = (session.get(SESSION_KEY) or {}).get(str(product.pk))
    if not isinstance(token, str):
        return None
    return PharmacyAnswers.objects.filter(
        token=token, product=product, questionnaire_revision_id=questionnaire.live_revision_id
    ).first()


def questions_url(request, pack, count=1):
    """Where to send the visitor before `pack` may go into the cart, or None (no questions,
    or already answered)."""
    product = pack.page
    if asks_questions(product) is None or answers_for(request, product) is not None:
        return None
    url = reverse("consultations:pharmacy", args=[product.pk])
    return f"{url}?{urlencode({'pack': pack.pk, 'count': count})}"


def keep_answers(request, product, questionnaire, rows):
    answers = PharmacyAnswers.objects.create(
        product=product,
        questionnaire_revision_id=questionnaire.live_revision_id,
        answered=[{"question": r.question, "answer": r.answer, "flag": r.flag} for r in rows],
        has_flags=any(r.flag in (ATTENTION, STOP) for r in rows),
    )
    kept = dict(request.session.get(SESSION_KEY) or {})
    kept[str(product.pk)] = answers.token
    request.session[SESSION_KEY] = kept
    return answers
