"""A refused add-to-cart sent without JavaScript: the product page again, with the form as
sent and an error summary at it, as the review form does (catalog/reviews/views.py)."""

from catalog.supply import SupplyRules

from .availability import is_open_to


def product_page_again(request, form, message):
    """The pack's product page with the bound AddToCartForm `form` and `message` in its error
    summary; None when that page cannot show it: the pack is unknown, its page is not open
    to the visitor (the refusal then names nothing), or it has no add-to-cart form (a POM
    under "consultation first"). Personal, so `private, no-store`: never in a cache."""
    pack = form.cleaned_data.get("pack")
    if pack is None or not is_open_to(request, pack.page):
        return None
    product = pack.page
    if not SupplyRules.for_request(request).may_add_to_cart(product):
        return None
    # The pack as sent; for one out of stock since the page was read, the first in stock.
    selected = pack if pack.in_stock else product.pack_sizes.filter(in_stock=True).first()
    form.link_pack_errors_to(selected or pack)
    if not form.errors:  # a refusal of the cart or the supply rules, not of a field
        form.add_error("count" if pack.in_stock else "pack", message)
    response = product.render(
        request,
        context_overrides={"add_to_cart_form": form, "selected_pack": selected},
    )
    response["Cache-Control"] = "private, no-store"  # as the review form shown again
    return response
