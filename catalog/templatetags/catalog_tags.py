from decimal import Decimal

from django import template
from wagtail.images.models import Picture

from catalog.supply import SupplyRules
from home.site_settings import PharmacySettings

register = template.Library()


@register.simple_tag(takes_context=True)
def money(context, amount):
    """Format an amount in the pharmacy's currency: '£24.50'."""
    if amount is None:
        return ""
    request = context.get("request")
    symbol = PharmacySettings.load(request_or_site=request).currency_symbol
    return f"{symbol}{Decimal(amount):,.2f}"


@register.simple_tag(takes_context=True)
def product_supply(context, product):
    """{% product_supply product as supply %}: what listings may show of `product`
    (catalog/supply.py); the settings are cached on the request, so no query per product."""
    return SupplyRules.for_request(context.get("request")).for_product(product)


PICTURE_FORMATS = ("avif", "webp", "jpeg")


@register.simple_tag
def picture_upto(image, widths, sizes):
    """Wagtail's {% picture %} for `widths` ("320,640,960"), never wider than the original.

    {% picture %} asks for every width even when the original is narrower, and the
    repeated widths in srcset are invalid HTML. Same renditions, same markup otherwise.
    """
    wanted = sorted({min(int(w), image.width) for w in widths.split(",")})
    specs = [f"format-{fmt}|width-{w}" for fmt in PICTURE_FORMATS for w in wanted]
    return Picture(image.get_renditions(*specs), {"sizes": sizes})


@register.filter
def file_size(size):
    """A document's size as a leaflet link gives it: '240 KB', '1.2 MB'."""
    if not size:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
