"""Which packs a visitor may see in the cart: only packs of pages live and open to them.

Pack ids are sequential, so anything the cart says about a pack the visitor may not
see (a draft, a login-only or password-protected page, a deleted pack) would let
anyone list it: every such case gets the same words, never a title or a price.
"Open to them" follows Wagtail's own view restrictions (login, password, groups)
on the page and every page above it, through PageViewRestriction.accept_request.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction

from catalog.supply import SupplyRules

from .models import NOT_AVAILABLE, CartContents, CartError, CartLine


def restrictions_above(path_ref):
    """View restrictions on the page at `path_ref` or any page above it (a page's tree
    path starts with the paths of all its ancestors)."""
    return PageViewRestriction.objects.filter(page__path=Substr(path_ref, 1, Length("page__path")))


def under_restriction():
    """An annotation for CartLine querysets: True when the line's page is restricted."""
    return Exists(restrictions_above(OuterRef("pack__page__path")))


def opens_for(request, restrictions):
    return all(restriction.accept_request(request) for restriction in restrictions)


def is_open_to(request, page):
    """Live, and every view restriction on it or above it lets this visitor in."""
    return page.live and opens_for(request, page.get_view_restrictions())


def check_available(request, pack):
    """Raise CartError(NOT_AVAILABLE) unless the visitor may see `pack`'s page."""
    if pack is None or not is_open_to(request, pack.page):
        raise CartError(NOT_AVAILABLE)


def mark_hidden_lines(request, lines):
    """Set `line.hidden` on each line (annotated with under_restriction): True when the
    visitor may not see its page. One query for all restricted lines, none without."""
    restricted_paths = {line.pack.page.path for line in lines if line.under_restriction}
    restrictions = []
    if restricted_paths:
        restrictions = list(PageViewRestriction.objects.select_related("page"))
    for line in lines:
        line.hidden = line.pack is not None and not _open_line(request, line, restrictions)


def _open_line(request, line, restrictions):
    page = line.pack.page
    if not page.live:
        return False
    if not line.under_restriction:
        return True
    above = [r for r in restrictions if page.path.startswith(r.page.path)]
    return opens_for(request, above)


def cart_contents(request, token):
    """The lines of the cart named by `token`, with packs and products, as this visitor may
    see them: one query, and one more when a line's page is restricted."""
    if not token:
        return CartContents([])
    lines = list(
        CartLine.objects.filter(cart__token=token)
        .select_related("pack__page")
        .annotate(under_restriction=under_restriction())
    )
    mark_hidden_lines(request, lines)
    mark_supply_problems(request, lines)
    return CartContents(lines)


def mark_supply_problems(request, lines):
    """Set `line.supply_problems` on the lines the visitor may see: a prescription-only line
    under "consultation first", quantity limits (catalog/supply.py)."""
    if not lines:
        return
    visible = [line for line in lines if line.pack is not None and not line.hidden]
    rules = SupplyRules.for_request(request)
    problems = rules.cart_problems(visible)
    for line, found in zip(visible, problems, strict=True):
        line.supply_problems = found
        line.promoted = rules.allows_promotion(line.pack.page)
