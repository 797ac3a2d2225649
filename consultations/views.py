"""The visitor's consultation: questions, details, preferred pack, review, status.

Per-visitor pages (never cached: see drafts.py). Every form posts through
`public_post` (an origin check, no CSRF token) and is rate limited per client.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from catalog.models import ProductPage
from website.client_ip import client_ip
from website.origin_check import public_post
from website.throttle import Throttle

from . import pharmacy as pharmacy_rules
from . import services
from .drafts import forget, remember, visitor_draft
from .forms import PackPreferenceForm, PatientDetailsForm, ReplyForm
from .models import Consultation, ConsultationDraft, ConsultationStatus
from .questions import QuestionsForm, answered, stop_answer

STEPS = ["Questions", "Your details", "Preferred pack", "Check and send"]
step_throttle = Throttle(
    "consultation-steps", "CONSULTATION_STEPS_RATE_LIMIT", "CONSULTATIONS_RATE_WINDOW_SECONDS"
)
submit_throttle = Throttle(
    "consultation-submit", "CONSULTATIONS_RATE_LIMIT", "CONSULTATIONS_RATE_WINDOW_SECONDS"
)


def _render(request, template, context, status=200):
    return TemplateResponse(request, f"consultations/{template}", context, status=status)


def _step(request, draft_or_product, number, template, **context):
    product = getattr(draft_or_product, "product", draft_or_product)
    return _render(
        request,
        template,
        {
            "product": product,
            "steps": STEPS,
            "step_number": number,
            "step_name": STEPS[number - 1],
            **context,
        },
    )


def _too_many(request):
    response = _render(
        request,
        "too_many.html",
        {"window_minutes": settings.CONSULTATIONS_RATE_WINDOW_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(settings.CONSULTATIONS_RATE_WINDOW_SECONDS)
    return response


def _limited(request, throttle=step_throttle):
    """A 429 page if this client has posted too often, else None (and the post is counted)."""
    if request.method == "POST" and not throttle.count(client_ip(request)):
        return _too_many(request)
    return None


class NoConsultation(Exception):
    """The product is not live or has no live questionnaire."""


def _open_product(product_id):
    product = ProductPage.objects.live().public().filter(pk=product_id).first()
    questionnaire = services.consultation_open_for(product)
    if questionnaire is None:
        raise NoConsultation
    return product, questionnaire


def _draft_or_restart(request):
    draft = visitor_draft(request)
    if draft is None or services.consultation_open_for(draft.product) is None:
        return None
    return draft


def _restart():
    """No consultation in progress (expired, or never started here): say so."""
    return forget(redirect("consultations:expired"))


def expired(request):
    return _render(request, "expired.html", {})


@public_post
@require_http_methods(["GET", "POST"])
def start(request, product_id):
    """Step 1: the questionnaire (all its questions on one page)."""
    try:
        product, questionnaire = _open_product(product_id)
    except NoConsultation:
        # The product page links here for every prescription-only medicine: say how else
        # to ask, rather than a bare "not found".
        return _render(request, "unavailable.html", {}, status=404)
    if refused := _limited(request):
        return refused
    draft = visitor_draft(request, product)
    if request.method == "GET":
        initial = draft.answers if draft else {}
        form = QuestionsForm(questionnaire, initial=initial)
        return _step(request, product, 1, "questions.html", form=form, questionnaire=questionnaire)
    form = QuestionsForm(questionnaire, request.POST)
    valid = form.is_valid()
    raw = form.stored_answers()  # the valid answers: a stop answer ends it even if others are not
    rows = answered(questionnaire, raw)
    stop = stop_answer(rows)
    if stop is not None:
        if draft is not None:
            draft.delete()
        response = _render(request, "stopped.html", {"product": product, "message": stop})
        return forget(response)
    if not valid:
        return _step(request, product, 1, "questions.html", form=form, questionnaire=questionnaire)
    if draft is None:
        draft = ConsultationDraft(product=product)
    services.record_answers(draft, questionnaire, raw, rows)
    return remember(redirect("consultations:details"), draft)


@public_post
@require_http_methods(["GET", "POST"])
def details(request):
    """Step 2: the patient's details."""
    draft = _draft_or_restart(request)
    if draft is None:
        return _restart()
    if refused := _limited(request):
        return refused
    if request.method == "GET":
        form = PatientDetailsForm(initial=draft.details or None)
        if draft.details.get("date_of_birth"):
            form.initial["date_of_birth"] = form.fields["date_of_birth"].to_python(
                draft.details["date_of_birth"]
            )
    else:
        form = PatientDetailsForm(request.POST)
        if form.is_valid():
            draft.details = form.stored()
            draft.save(update_fields=["details", "updated_at"])
            return redirect("consultations:pack")
    return _step(request, draft, 2, "details.html", form=form)


@public_post
@require_http_methods(["GET", "POST"])
def pack(request):
    """Step 3: an optional preferred pack."""
    draft = _draft_or_restart(request)
    if draft is None:
        return _restart()
    if not draft.details:
        return redirect("consultations:details")
    if refused := _limited(request):
        return refused
    if request.method == "GET":
        form = PackPreferenceForm(draft.product, initial={"pack": draft.preferred_pack})
    else:
        form = PackPreferenceForm(draft.product, request.POST)
        if form.is_valid():
            draft.preferred_pack = form.cleaned_data["pack"]
            draft.pack_step_done = True
            draft.save(update_fields=["preferred_pack", "pack_step_done", "updated_at"])
            return redirect("consultations:review")
    return _step(request, draft, 3, "pack.html", form=form)


@public_post
@require_http_methods(["GET", "POST"])
def review(request):
    """Step 4: everything as it will be sent; sending it."""
    draft = _draft_or_restart(request)
    if draft is None:
        return _restart()
    if not draft.details:
        return redirect("consultations:details")
    if not draft.pack_step_done:
        return redirect("consultations:pack")
    if request.method == "POST":
        if refused := _limited(request, submit_throttle):
            return refused
        consultation = services.submit(draft)
        response = redirect("consultations:status", token=consultation.token)
        return forget(response)
    return _step(
        request,
        draft,
        4,
        "review.html",
        draft=draft,
        start_url=reverse("consultations:start", args=[draft.product_id]),
    )


@public_post
@require_http_methods(["GET", "POST"])
def status(request, token):
    """The patient's private status page (its link is the only key); they answer a question
    here."""
    consultation = get_object_or_404(Consultation.objects.select_related("product"), token=token)
    form = ReplyForm()
    notice = ""
    if request.method == "POST":
        if refused := _limited(request, submit_throttle):
            return refused
        form = ReplyForm(request.POST)
        if form.is_valid():
            result = services.reply(consultation, form.cleaned_data["reply"])
            if result.accepted:
                return redirect("consultations:status", token=token)
            notice = result.message
    question = None
    if consultation.status == ConsultationStatus.QUESTION_ASKED:
        question = consultation.decisions.filter(replied_at__isnull=True).last()
    response = _render(
        request,
        "status.html",
        {
            "consultation": consultation,
            "question": question,
            "form": form,
            "notice": notice,
            "order": services.prescribed_order(consultation),
            "statuses": ConsultationStatus,
        },
    )
    response["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return response


def _pharmacy_pack(product, request):
    """The pack and count the visitor was adding (from the query or the form), if valid."""
    from catalog.cart.forms import AddToCartForm

    form = AddToCartForm(request.POST if request.method == "POST" else request.GET)
    if form.is_valid() and form.cleaned_data["pack"].page_id == product.pk:
        return form.cleaned_data["pack"], form.cleaned_data["count"]
    return product.pack_sizes.filter(in_stock=True).first(), 1


@public_post
@require_http_methods(["GET", "POST"])
def pharmacy(request, product_id):
    """A pharmacy medicine's questions, before its pack goes into the cart."""
    product = ProductPage.objects.filter(pk=product_id, live=True).first()
    questionnaire = pharmacy_rules.asks_questions(product)
    if questionnaire is None or product.get_view_restrictions().exists():
        raise Http404("No questions for this product.")
    if refused := _limited(request):
        return refused
    pack_size, count = _pharmacy_pack(product, request)
    context = {"product": product, "questionnaire": questionnaire, "pack": pack_size}
    context["count"] = count
    if request.method == "GET":
        form = QuestionsForm(questionnaire)
        return _render(request, "pharmacy_questions.html", {**context, "form": form})
    form = QuestionsForm(questionnaire, request.POST)
    valid = form.is_valid()
    rows = answered(questionnaire, form.stored_answers())
    stop = stop_answer(rows)
    if stop is not None:
        return _render(request, "stopped.html", {"product": product, "message": stop})
    if not valid:
        return _render(request, "pharmacy_questions.html", {**context, "form": form})
    pharmacy_rules.keep_answers(request, product, questionnaire, rows)
    return _render(request, "pharmacy_answered.html", context)
