"""Checkout, confirmation and the customer's status page: per-visitor, never cached.

None of these responses is marked public, so the page cache never stores them and they are
`private, no-store`; Varnish passes /checkout/ and /orders/ (deploy/varnish/formulary.vcl).
Forms POST without a CSRF token, checked by origin (website.origin_check.public_post), like
every public form. The rules are in services.py.
"""

import secrets

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_safe

from catalog.cart.session import visitor_cart, visitor_cart_contents
from home.site_settings import PharmacySettings
from website.client_ip import client_ip
from website.origin_check import public_post
from website.throttle import Throttle

from .checks import line_problems, parse_seen_prices, seen_prices_field
from .emails import customer_status
from .forms import CheckoutForm, ReplyForm
from .models import Order, OrderStatus
from .services import OrderError, place_order, reply_to_query

checkouts = Throttle("checkout", "CHECKOUT_RATE_LIMIT", "CHECKOUT_RATE_WINDOW_SECONDS")
replies = Throttle("order-reply", "ORDER_REPLY_RATE_LIMIT", "ORDER_REPLY_RATE_WINDOW_SECONDS")
SESSION_KEY = "orders_placed"  # the status tokens of the orders this session placed
REMEMBERED = 10
LOST_KEY = "Your order was not sent: press “Place order” once more to send it."


def no_referrer(response):
    """The status link is a secret: never passed on in a Referer header to another site.
    (Not "no-referrer": browsers then send `Origin: null` with the page's own forms, which
    the origin check refuses.)"""
    response["Referrer-Policy"] = "same-origin"
    return response


def too_many(request, throttle):
    response = TemplateResponse(
        request,
        "orders/too_many.html",
        {"window_minutes": throttle.window // 60},
        status=429,
    )
    response["Retry-After"] = str(throttle.window)
    return response


@public_post
@require_http_methods(["GET", "POST"])
def checkout(request):
    pharmacy = PharmacySettings.load(request_or_site=request)
    if pharmacy.phone_orders_only:
        return redirect("cart:page")
    if request.method == "POST":
        return _place(request, pharmacy)
    contents = visitor_cart_contents(request)
    if not contents.lines:
        messages.info(request, "Your cart is empty: add a product before you check out.")
        return redirect("cart:page")
    form = CheckoutForm(
        initial={
            "idempotency_key": secrets.token_urlsafe(32),
            "seen_prices": seen_prices_field(contents.lines),
        }
    )
    return _checkout_page(request, form, contents, line_problems(contents.lines, request))


def _place(request, pharmacy):
    form = CheckoutForm(request.POST)
    ip = client_ip(request)
    if checkouts.is_blocked(ip):
        return too_many(request, checkouts)
    contents = visitor_cart_contents(request)
    if not form.is_valid():
        notice = LOST_KEY if form.lost_key else ""
        if form.lost_key:
            form = _with_new_key(form, contents)
        return _checkout_page(request, form, contents, [], notice=notice)
    if not checkouts.count(ip):
        return too_many(request, checkouts)
    placed = place_order(
        visitor_cart(request),
        form.cleaned_data,
        request=request,
        idempotency_key=form.cleaned_data["idempotency_key"],
        seen_prices=parse_seen_prices(form.cleaned_data["seen_prices"]),
    )
    if not placed.ok:
        # Shown again with everything typed, and the prices as they are now.
        form.data = form.data.copy()
        form.data["seen_prices"] = seen_prices_field(contents.lines)
        return _checkout_page(request, form, contents, placed.problems)
    _remember(request, placed.order)
    return redirect("orders:confirmation", reference=placed.order.reference)


def _with_new_key(form, contents):
    """The hidden fields did not come back (not the customer's doing): new ones, and the
    customer presses the button again."""
    data = form.data.copy()
    data["idempotency_key"] = secrets.token_urlsafe(32)
    data["seen_prices"] = seen_prices_field(contents.lines)
    bound = CheckoutForm(data)
    bound.is_valid()
    return bound


def _checkout_page(request, form, contents, problems, notice=""):
    return TemplateResponse(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "cart": contents,
            "mini_cart": contents,
            "problems": problems,
            "notice": notice,
        },
    )


def _remember(request, order):
    tokens = [t for t in request.session.get(SESSION_KEY, []) if t != order.status_token]
    request.session[SESSION_KEY] = [*tokens, order.status_token][-REMEMBERED:]


@require_safe
def confirmation(request, reference):
    """Shown once the order is placed, to the session that placed it only."""
    tokens = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    order = Order.objects.filter(reference=reference, status_token__in=tokens).first()
    if order is None:
        raise Http404("No order of yours has that reference.")
    return no_referrer(
        TemplateResponse(
            request,
            "orders/confirmation.html",
            {
                "order": order,
                "lines": order.lines.all(),
                "awaiting_prescription": order.status == OrderStatus.AWAITING_PRESCRIPTION,
                "status_label": customer_status(order.status),
            },
        )
    )


def _status_page(request, order, reply_form=None, status=200):
    return no_referrer(
        TemplateResponse(
            request,
            "orders/status.html",
            {
                "order": order,
                "lines": order.lines.all(),
                "history": [
                    (change, customer_status(change.to_status))
                    for change in order.status_changes.all()
                ],
                "status_label": customer_status(order.status),
                "reply_form": reply_form or ReplyForm(),
                "can_reply": order.status == OrderStatus.QUERIED,
            },
            status=status,
        )
    )


def order_by_token(token):
    return get_object_or_404(Order, status_token=token, anonymised_at__isnull=True)


@require_safe
def status(request, token):
    return _status_page(request, order_by_token(token))


@public_post
@require_http_methods(["POST"])
def reply(request, token):
    order = order_by_token(token)
    if not replies.count(client_ip(request)):
        return too_many(request, replies)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _status_page(request, order, reply_form=form)
    try:
        reply_to_query(order, form.cleaned_data["reply"])
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thank you: your answer has been sent to the pharmacist.")
    return redirect("orders:status", token=order.status_token)
