"""The HTTP side of submitting a review; the rules live in services.py."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from catalog.supply import SupplyRules

from .models import parse_page_number
from .services import submit_review

THANK_YOU = "Thank you — your review is awaiting approval."
SEND_AGAIN = "Nothing is lost: check your review and press “Submit review” once more to send it."


def add_review(product, request):
    """POST a review of `product`: redirect with a thank-you, or show the page with the errors."""
    if not SupplyRules.for_request(request).shows_reviews(product):
        # Switched off, or a prescription-only medicine: reviews would promote it.
        raise Http404("This product does not accept reviews.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    submission = submit_review(product, request)
    if submission.rate_limited:
        response = TemplateResponse(
            request,
            "catalog/reviews/too_many_reviews.html",
            {
                "page": product,
                "limit": settings.REVIEWS_RATE_LIMIT,
                "window_minutes": settings.REVIEWS_RATE_WINDOW_SECONDS // 60,
            },
            status=429,
        )
        response["Retry-After"] = str(settings.REVIEWS_RATE_WINDOW_SECONDS)
        return response
    if not submission.accepted:
        overrides = {"review_form": submission.form}
        if submission.needs_token:
            overrides["review_form_notice"] = SEND_AGAIN
        return product.render(request, context_overrides=overrides)
    messages.success(request, THANK_YOU)
    url = product.get_url(request)
    number = parse_page_number(request.GET.get("reviews"))
    if number > 1:
        url = f"{url}?reviews={number}"
    # Its own fragment, or the browser keeps the form's #review-form and the thank-you at the
    # top of the page is out of sight.
    return redirect(f"{url}#main")
