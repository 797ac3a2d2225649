"""Whether a cart's lines can be ordered now: one function, so every rule says why in one list.

The line's page is still live and open to the visitor (catalog/cart/availability.py marks
hidden lines), the pack exists and is in stock, its price is the one the customer saw on the
checkout page, and the supply rules allow it (catalog/supply.py: no prescription-only medicine
under "consultation first", quantity limits per product and per active ingredient). Other apps
add their own reasons through the `checking_lines` signal (signals.py).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from catalog.cart.models import pack_label
from catalog.supply import SupplyRules
from home.site_settings import PharmacySettings

from .signals import checking_lines


@dataclass(frozen=True)
class Problem:
    line: object  # the CartLine
    message: str


def line_problems(lines, request, seen_prices=None):
    """Why each line that cannot be ordered cannot be: a list of Problem, empty when all can.

    `lines` are CartLines as catalog.cart.availability.cart_contents returns them (with
    `hidden` set for this visitor). `seen_prices` ({line id: price}) are the prices the
    checkout page showed; a line whose price has changed since stops the checkout so the
    customer sees the new price first.
    """
    symbol = PharmacySettings.load(request_or_site=request).currency_symbol
    problems = []
    for line in lines:
        message = _line_problem(line, seen_prices, symbol)
        if message:
            problems.append(Problem(line, message))
    orderable = [line for line in lines if not line.is_unavailable]
    rules = SupplyRules.for_request(request)
    for line, found in zip(orderable, rules.cart_problems(orderable), strict=True):
        problems += [Problem(line, str(problem)) for problem in found]
    for _, found in checking_lines.send(sender=None, lines=orderable, request=request):
        problems += found
    return problems


def _line_problem(line, seen_prices, symbol):
    if line.is_unavailable:
        return "An item in your cart is no longer available: remove it to check out."
    name = pack_label(line.pack)
    if not line.pack.in_stock:
        return f"{name} is out of stock at the moment: remove it to check out."
    if seen_prices is not None:
        seen = seen_prices.get(line.pk)
        if seen is None or seen != line.pack.price:
            return (
                f"The price of {name} has changed: it is now {symbol}{line.pack.price:,.2f} a pack. "
                "Check the new total and place your order again."
            )
    return None


def needs_prescription(lines, request):
    """Under "the customer sends a prescription", an order with a prescription-only line
    waits for the prescription before the check. (Under "consultation first" such a line
    never gets here: the supply rules stop the checkout.)"""
    rules = SupplyRules.for_request(request)
    return any(rules.needs_prescription(line.product) for line in lines)


def seen_prices_field(lines):
    """The checkout form's hidden record of the prices it showed: 'line:price,…'."""
    return ",".join(f"{line.pk}:{line.pack.price}" for line in lines if not line.is_unavailable)


def parse_seen_prices(value):
    """{line id: price} from seen_prices_field's text; anything malformed is left out (and
    its line then counts as changed)."""
    prices = {}
    for item in (value or "").split(","):
        line_id, _, price = item.partition(":")
        try:
            prices[int(line_id)] = Decimal(price)
        except (ValueError, InvalidOperation):
            continue
    return prices
