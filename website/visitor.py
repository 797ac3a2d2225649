"""/visitor/: what is the visitor's own, for the script of a public page.

Public pages are the same bytes for everyone (docs/caching.md); after one loads,
static/js/visitor.js asks this small uncached endpoint for the rest:

    GET /visitor/?tokens=review
    {"cart": {"count": 2, "subtotal": "48.00", "summary": "2 items, £48.00", "url": "/cart/"},
     "messages": [{"level": "success", "html": "Baclofen … added to your cart. <a …>"}],
     "tokens": {"review": "<one-use token>"}}

`tokens` names the forms on the page (`data-form-token` on their hidden field);
settings.VISITOR_FORM_TOKENS says which function makes each. A visitor with no
session gets an empty cart and no session is created. Always `private, no-store`.
"""

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

from catalog.cart.session import visitor_cart_contents
from home.models import PharmacySettings


@cache
def _token_makers(names):
    return {name: import_string(path) for name, path in names}


def form_tokens(request):
    makers = _token_makers(tuple(sorted(settings.VISITOR_FORM_TOKENS.items())))
    wanted = request.GET.get("tokens", "").split(",")
    return {name: makers[name]() for name in wanted if name in makers}


def cart_summary(request):
    contents = visitor_cart_contents(request)
    symbol = PharmacySettings.load(request_or_site=request).currency_symbol
    count = contents.count
    summary = f"{count} item{'s' if count != 1 else ''}, {symbol}{contents.subtotal:,.2f}"
    return {
        "count": count,
        "subtotal": str(contents.subtotal),
        "summary": summary if count else "",
        "url": reverse("cart:page"),
    }


def flash_messages(request):
    """The visitor's messages, as HTML (escaped unless our own code marked them safe)."""
    return [
        {"level": message.tags or "info", "html": str(conditional_escape(message.message))}
        for message in messages.get_messages(request)
    ]


@require_safe
def visitor(request):
    response = JsonResponse(
        {
            "cart": cart_summary(request),
            "messages": flash_messages(request),
            "tokens": form_tokens(request),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
