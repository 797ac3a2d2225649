"""The cart page and the forms that change the cart. Plain forms; JSON when JavaScript asks.

Before a pack goes in, other apps may send the visitor somewhere first (signals.py: a
pharmacy medicine's questions)."""

from functools import partial

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from catalog.models import ProductIndexPage
from catalog.supply import SupplyRules
from website.origin_check import public_post

from .availability import check_available, is_open_to
from .forms import AddToCartForm, LineForm, UpdateLineForm, first_error
from .models import CartError, check_addable, pack_label
from .refused_add import product_page_again
from .session import visitor_cart, visitor_cart_contents, visitor_cart_for_update
from .signals import first_ask

GET_NOT_ALLOWED = "Nothing was changed: use the buttons on the page to change your cart."


def wants_json(request):
    """fetch() from cart.js asks for JSON; browsers and plain forms get HTML."""
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def cart_page(request, count_form=None):
    """The visitor's cart; `count_form` is a refused count, shown again at its line."""
    contents = visitor_cart_contents(request)
    index = ProductIndexPage.objects.live().first() if not contents.lines else None
    return TemplateResponse(
        request,
        "catalog/cart/cart_page.html",
        {
            "cart": contents,
            "mini_cart": contents,  # the header shows the same lines: no second query
            "products_url": index.get_url(request) if index else "/products/",
            "count_form": count_form,
            "count_line": count_form.cleaned_data["line"] if count_form else None,
        },
    )


@public_post  # the form is on public (cached) pages: no CSRF token there
@require_http_methods(["GET", "POST"])
def add(request):
    if request.method != "POST":
        messages.info(request, GET_NOT_ALLOWED)
        return redirect("cart:page")
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return refuse(request, first_error(form), form=form)
    pack, count = form.cleaned_data["pack"], form.cleaned_data["count"]
    rules = SupplyRules.for_request(request)

    def refusal(lines):
        return rules.refusal_to_add(pack, count, lines)

    try:
        check_available(request, pack)  # drafts, restricted pages: never their title
        check_addable(pack, count)  # before a refused first add creates a cart and a session
        check_supply(request, refusal)  # likewise: a POM, a quantity limit
        if questions := first_ask(request, pack, count):  # a pharmacy medicine's questions
            return ask_first(request, questions)
        added = visitor_cart_for_update(request).add(pack, count, refusal=refusal)
    except CartError as error:
        return refuse(request, str(error), form=form)

    cart_url = reverse("cart:page")
    text = f"{pack_label(pack)} added to your cart."
    if added.added < added.requested:
        text = (
            f"{added.added} more of {pack_label(pack)} added: your cart now has "
            f"{added.line.count}, the most one order can hold."
        )
    if wants_json(request):
        contents = visitor_cart_contents(request)
        return JsonResponse(
            {
                "ok": True,
                "message": text,
                "cart_url": cart_url,
                "count": contents.count,
                "subtotal": str(contents.subtotal),
                "mini_cart": render_to_string(
                    "includes/mini_cart.html", {"mini_cart": contents}, request=request
                ),
            }
        )
    messages.success(request, format_html('{} <a href="{}">View your cart</a>', text, cart_url))
    # Without JavaScript, to the cart: public pages show no messages of their own. Its own
    # fragment, or the browser keeps the form's #add-to-cart.
    return redirect(f"{cart_url}#main")


def ask_first(request, url):
    """To the questions a pharmacy medicine asks before its pack goes into the cart (the
    pack and count travel in the address; nothing is added yet)."""
    if wants_json(request):
        return JsonResponse({"ok": False, "redirect": url})
    return redirect(f"{url}#main")  # not the form's #add-to-cart, which the browser would keep


def check_supply(request, refusal):
    """Raise CartError when the supply rules refuse the add to the visitor's cart as it is."""
    cart = visitor_cart(request)
    lines = list(cart.lines.select_related("pack__page")) if cart else []
    reason = refusal(lines)
    if reason:
        raise CartError(reason)


@require_http_methods(["GET", "POST"])
def update(request):
    if request.method == "POST":
        refused = refused_count(request)
        if refused is not None:
            return refused
    return change(request, UpdateLineForm, partial(update_line, request))


def refused_count(request):
    """A bad count for a line of the visitor's own cart: the cart page again, with an error
    summary and the count as typed at its line (as every public form does). Anything
    else wrong (a line that is not theirs) is left to change()'s message."""
    if wants_json(request):
        return None
    form = UpdateLineForm(request.POST)
    if form.is_valid() or "count" not in form.errors or "line" not in form.cleaned_data:
        return None
    cart = visitor_cart(request)
    if cart is None or not cart.lines.filter(pk=form.cleaned_data["line"]).exists():
        return None
    return cart_page(request, count_form=form)  # 200, as the review form shown again


@require_http_methods(["GET", "POST"])
def remove(request):
    return change(request, LineForm, partial(remove_line, request))


def update_line(request, cart, data):
    check_limits(request, cart, data["line"], data["count"])
    cart.set_count(data["line"], data["count"])
    return "Your cart has been updated."


def check_limits(request, cart, line_id, count):
    """Refuse a new count above a quantity limit (catalog/supply.py); fewer is always fine."""
    lines = list(cart.lines.select_related("pack__page").filter(pack__isnull=False))
    changed = next((line for line in lines if line.pk == line_id), None)
    if changed is None or count <= changed.count:
        return
    changed.count = count
    problems = SupplyRules.for_request(request).cart_problems(lines)
    for problem in problems[lines.index(changed)]:
        if not problem.blocks_line:
            raise CartError(f"{problem} Nothing was changed.")


def remove_line(request, cart, data):
    line = cart.remove(data["line"])
    name = line.description if line.pack and is_open_to(request, line.pack.page) else "The item"
    return f"{name} removed from your cart."


def change(request, form_class, apply):
    """Update or remove a line of the visitor's own cart, then back to the cart page."""
    if request.method != "POST":
        messages.info(request, GET_NOT_ALLOWED)
        return redirect("cart:page")
    form = form_class(request.POST)
    if not form.is_valid():
        return refuse(request, first_error(form))
    cart = visitor_cart(request)
    if cart is None:
        return refuse(request, "Your cart has expired or is empty: nothing was changed.")
    try:
        text = apply(cart, form.cleaned_data)
    except CartError as error:
        return refuse(request, str(error))
    messages.success(request, text)
    return redirect("cart:page")


def refuse(request, text, form=None):
    """The cart stays as it was: say why. 400 for JavaScript; for the product page's plain
    form (`form`), that page again with the form as sent and the error at it
    (refused_add.py); else a message on the cart page, which shows it (a public page shows
    no messages of its own), with a link back to the product if the visitor may see it."""
    if wants_json(request):
        return JsonResponse({"ok": False, "message": text}, status=400)
    if form is not None:
        shown = product_page_again(request, form, text)
        if shown is not None:
            return shown
        back = product_url(request, form.cleaned_data.get("pack"))
        if back:
            text = format_html('{} <a href="{}">Back to the product</a>', text, back)
    messages.error(request, text)
    # From the product page: a fragment of its own, or the browser keeps #add-to-cart.
    return redirect(reverse("cart:page") + ("#main" if form is not None else ""))


def product_url(request, pack):
    """Back to the pack's product page, if this visitor can see it."""
    if pack is not None and is_open_to(request, pack.page):
        return pack.page.get_url(request)
    return None
