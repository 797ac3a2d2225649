"""The prescribers' side in the Wagtail admin: the queue and one consultation's decisions.

Only Prescribers (and superusers) see either: the right is `review_consultation`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from . import services
from .forms import ApproveForm, AskForm, DeclineForm
from .models import Consultation, ConsultationStatus

PER_PAGE = 50
QUEUE_ORDER = Case(
    When(status=ConsultationStatus.AWAITING_REVIEW, then=Value(0)),
    When(status=ConsultationStatus.QUESTION_ASKED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _require_prescriber(request):
    if not services.can_review(request.user):
        raise PermissionDenied


def queue(request):
    """Awaiting review first, oldest first; flagged ones stand out."""
    _require_prescriber(request)
    consultations = Consultation.objects.annotate(queue_order=QUEUE_ORDER).order_by(
        "queue_order", "created_at", "pk"
    )
    page = Paginator(consultations, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "consultations/admin/queue.html",
        {"consultations": page, "statuses": ConsultationStatus},
    )


def _forms(consultation, data=None, bound=None):
    forms = {
        "approve_form": ApproveForm(consultation.product, initial=_approve_initial(consultation)),
        "ask_form": AskForm(),
        "decline_form": DeclineForm(),
    }
    if bound is not None:
        forms[bound] = {
            "approve_form": lambda: ApproveForm(consultation.product, data),
            "ask_form": lambda: AskForm(data),
            "decline_form": lambda: DeclineForm(data),
        }[bound]()
    return forms


def _approve_initial(consultation):
    return {"pack": consultation.preferred_pack_id, "count": 1}


def detail(request, pk, forms=None, status=200):
    _require_prescriber(request)
    consultation = get_object_or_404(Consultation.objects.select_related("product"), pk=pk)
    context = {
        "consultation": consultation,
        "answers": list(consultation.answers.all()),
        "decisions": list(consultation.decisions.select_related("prescriber_user")),
        "statuses": ConsultationStatus,
        "has_profile": hasattr(request.user, "prescriber"),
        "own_email": (request.user.email or "").strip().lower()
        == consultation.email.strip().lower(),
        **(forms or _forms(consultation)),
    }
    return TemplateResponse(request, "consultations/admin/detail.html", context, status=status)


def _decide(request, pk, form_name, act):
    _require_prescriber(request)
    consultation = get_object_or_404(Consultation.objects.select_related("product"), pk=pk)
    forms = _forms(consultation, request.POST, bound=form_name)
    form = forms[form_name]
    if form.is_valid():
        try:
            text = act(consultation, form.cleaned_data)
        except services.DecisionRefused as refusal:
            form.add_error(None, str(refusal))
            messages.error(request, str(refusal))  # shown even where the form is not
        else:
            messages.success(request, text)
            return redirect("consultations_admin:detail", pk=pk)
    return detail(request, pk, forms=forms, status=400)


@require_POST
def approve(request, pk):
    def act(consultation, data):
        services.approve(consultation, request.user, data["pack"], data["count"], data["reason"])
        return f"Approved {consultation.reference}: {data['count']} × {data['pack']}."

    return _decide(request, pk, "approve_form", act)


@require_POST
def ask(request, pk):
    def act(consultation, data):
        services.ask(consultation, request.user, data["reason"])
        return f"Your question was sent to the patient of {consultation.reference}."

    return _decide(request, pk, "ask_form", act)


@require_POST
def decline(request, pk):
    def act(consultation, data):
        services.decline(consultation, request.user, data["reason"])
        return f"Declined {consultation.reference}."

    return _decide(request, pk, "decline_form", act)


def export(request, pk):
    """Everything held about one consultation, as JSON: for a patient's access request."""
    _require_prescriber(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    patient = ["name", "email", "phone", "address", "gp_practice"]
    data = {
        "reference": consultation.reference,
        "status": consultation.get_status_display(),
        "sent": consultation.created_at.isoformat(),
        "medicine": consultation.product_title,
        "questionnaire": consultation.questionnaire_title,
        "questionnaire_revision": consultation.questionnaire_revision_id,
        "patient": {
            **{name: getattr(consultation, name) for name in patient},
            "date_of_birth": consultation.date_of_birth.isoformat(),
        },
        "preferred_pack": consultation.preferred_pack_label,
        "answers": [
            {"question": a.question, "answer": a.answer, "flag": a.flag}
            for a in consultation.answers.all()
        ],
        "decisions": [
            {
                "decision": d.get_kind_display(),
                "when": d.created_at.isoformat(),
                "prescriber": d.prescriber_name,
                "registration": f"{d.get_registration_body_display()} {d.registration_number}",
                "reason": d.reason,
                "prescribed": f"{d.count} × {d.pack_label}" if d.count else "",
                "patient_reply": d.reply,
            }
            for d in consultation.decisions.all()
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{consultation.reference}.json"'
    return response
