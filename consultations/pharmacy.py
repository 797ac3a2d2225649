"""Pharmacy (P) medicines: the product's questionnaire is answered before the pack goes into
the cart. A stop answer blocks it with its message; the answers are kept (PharmacyAnswers,
named in the visitor's session) to travel with the order to the pharmacist.

The cart's add view asks `ask_before_adding` first (catalog/cart/signals.py); at the checkout
`missing_answers` refuses a line whose questions are not answered (a questionnaire added
after the pack went into the cart, answers purged), and `attach_answers` copies them onto
the order's lines for the pharmacist's check (both receivers of orders/signals.py; see
docs/consultations.md).
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html

from catalog.models import LegalStatus
from orders.checks import Problem

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


def ask_before_adding(sender, request, pack, count, **kwargs):
    return questions_url(request, pack, count)


def missing_answers(sender, lines, request, **kwargs):
    """The checkout's reason for each pharmacy medicine whose questions are not answered."""
    problems = []
    for line in lines:
        url = questions_url(request, line.pack, line.count)
        if url is not None:
            message = format_html(
                "A pharmacist needs your answers to a few questions about {} before you can "
                'order it: <a href="{}">answer the questions</a>.',
                line.pack.page.title,
                url,
            )
            problems.append(Problem(line, message))
    return problems


def attach_answers(sender, order, request, **kwargs):
    """Copy the visitor's answers onto the order's lines (the pharmacist's check reads them
    there, and they are kept and removed with the order); the visitor's copy is deleted."""
    for line in order.lines.select_related("product"):
        answers = answers_for(request, line.product)
        if answers is None:
            continue
        line.pharmacy_answers = answers.answered
        line.save(update_fields=["pharmacy_answers"])
        answers.delete()
        kept = dict(request.session.get(SESSION_KEY) or {})
        kept.pop(str(line.product.pk), None)
        request.session[SESSION_KEY] = kept
