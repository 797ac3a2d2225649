"""Merchant-listing data (schema.org for shopping results) for products that may be promoted.

Under the UK default, only general-sale and pharmacy medicines may be promoted to the public;
prescription-only medicines never are (their JSON-LD stays as catalog/structured_data.py
builds it). A product that may be listed becomes a `ProductGroup` (still a `Drug`) with one
`Product` per pack in `hasVariant` (Google's way for variants since 2024), each with its own
`Offer`: the page's URL with that pack preselected (`?pack=90`, honoured by static/js/cart.js,
so the cached page stays the same bytes for everyone), shipping from the free-shipping flag
and the settings, and the pharmacy's returns policy. Built from what the page already loaded.
"""

from dataclasses import dataclass
from decimal import Decimal

from .models import LegalStatus

SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class ListingTerms:
    """What the Pharmacy settings say about delivery and returns (home/site_settings.py)."""

    country: str = "GB"
    shipping_price: Decimal | None = None  # for products without free shipping; None: unstated
    delivery_days_min: int | None = None
    delivery_days_max: int | None = None
    returns_accepted: bool = False
    return_days: int | None = None

    @classmethod
    def from_settings(cls, settings):
        return cls(
            country=settings.shipping_country,
            shipping_price=settings.shipping_price,
            delivery_days_min=settings.delivery_days_min,
            delivery_days_max=settings.delivery_days_max,
            returns_accepted=settings.returns_accepted,
            return_days=settings.return_days,
        )


def pack_url(url, pack):
    """The product page with this pack preselected."""
    return f"{url}?pack={pack.quantity}"


def shipping_details(free_shipping, currency, terms):
    """OfferShippingDetails, or None when the settings do not state a price."""
    if free_shipping:
        rate = Decimal("0")
    elif terms.shipping_price is not None:
        rate = terms.shipping_price
    else:
        return None
    details = {
        "@type": "OfferShippingDetails",
        "shippingRate": {"@type": "MonetaryAmount", "value": f"{rate:.2f}", "currency": currency},
        "shippingDestination": {"@type": "DefinedRegion", "addressCountry": terms.country},
    }
    if terms.delivery_days_min is not None and terms.delivery_days_max is not None:
        details["deliveryTime"] = {
            "@type": "ShippingDeliveryTime",
            "transitTime": {
                "@type": "QuantitativeValue",
                "minValue": terms.delivery_days_min,
                "maxValue": terms.delivery_days_max,
                "unitCode": "DAY",
            },
        }
    return details


def return_policy(terms):
    """Medicines cannot be taken back once supplied: unless the settings say otherwise."""
    policy = {"@type": "MerchantReturnPolicy", "applicableCountry": terms.country}
    if terms.returns_accepted and terms.return_days:
        policy["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnFiniteReturnWindow"
        policy["merchantReturnDays"] = terms.return_days
    else:
        policy["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnNotPermitted"
    return policy


def pack_offer(page, pack, url, currency, terms, seller):
    offer = {
        "@type": "Offer",
        "url": pack_url(url, pack),
        "price": f"{pack.price:.2f}",
        "priceCurrency": currency,
        "availability": f"{SCHEMA}/{'InStock' if pack.in_stock else 'OutOfStock'}",
        "itemCondition": f"{SCHEMA}/NewCondition",
        "hasMerchantReturnPolicy": return_policy(terms),
    }
    shipping = shipping_details(page.free_shipping, currency, terms)
    if shipping:
        offer["shippingDetails"] = shipping
    if seller:
        offer["seller"] = seller
    return offer


def pack_variant(page, pack, *, url, currency, terms, seller, image_url):
    variant = {
        "@type": "Product",
        "@id": f"{pack_url(url, pack)}#product",
        "name": f"{page.title}, {pack}",
        "size": str(pack),
        "offers": pack_offer(page, pack, url, currency, terms, seller),
    }
    if pack.gtin:
        variant["gtin13"] = pack.gtin
    if image_url:
        variant["image"] = image_url
    if page.brand:
        variant["brand"] = {"@type": "Brand", "name": page.brand}
    return variant


def as_product_group(product, page, *, pack_sizes, url, currency, terms, seller, image_url):
    """The page's Product/Drug node as a ProductGroup of its packs, when it has packs;
    otherwise the node unchanged. Only for products that may be promoted (the caller asks
    catalog/supply.py), and never for a prescription-only medicine: shopping listings do not
    take them, so one that may be promoted (the non-UK settings) keeps its plain offers."""
    if not pack_sizes or page.legal_status == LegalStatus.PRESCRIPTION_ONLY:
        return product
    group = {
        key: value for key, value in product.items() if key != "offers"
    }  # each pack's Offer replaces the AggregateOffer
    group["@type"] = ["ProductGroup", "Drug"]
    group["productGroupID"] = page.sku or str(page.pk)
    group["variesBy"] = f"{SCHEMA}/size"
    if page.brand:
        group["brand"] = {"@type": "Brand", "name": page.brand}
    group["hasVariant"] = [
        pack_variant(
            page, pack, url=url, currency=currency, terms=terms, seller=seller, image_url=image_url
        )
        for pack in pack_sizes
    ]
    return group
