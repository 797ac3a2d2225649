from decimal import Decimal

from django import template

from home.models import PharmacySettings

register = template.Library()


@register.simple_tag(takes_context=True)
def money(context, amount):
    """Format an amount in the pharmacy's currency: '£24.50'."""
    if amount is None:
        return ""
    request = context.get("request")
    symbol = PharmacySettings.load(request_or_site=request).currency_symbol
    return f"{symbol}{Decimal(amount):,.2f}"
