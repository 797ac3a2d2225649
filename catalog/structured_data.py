"""Schema.org JSON-LD for a product page, so search engines understand what it offers.

Built only from what the page already loaded for the visitor (packs, breadcrumbs,
settings), so it costs no extra query. Nothing is invented: no rating without
approved reviews, no price without a pack, no review date or reviewer unless an
editor set one.
"""

import json

from .merchant_listing import as_product_group

SCHEMA = "https://schema.org"

# Drug.prescriptionStatus: pharmacy and general-sale medicines are both sold over the counter.
PRESCRIPTION_STATUS = {
    "pom": f"{SCHEMA}/PrescriptionOnly",
    "p": f"{SCHEMA}/OTC",
    "gsl": f"{SCHEMA}/OTC",
}

LATEST_REVIEWS = 5

# Characters that would let a value end the <script> data block or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_json_ld(data):
    """Serialise for a <script type="application/ld+json"> block: "</script>" cannot occur."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def _price(amount):
    return f"{amount:.2f}"


def _rating_value(value):
    """4.333... -> 4.3; 4.0 -> 4 (a plain number, as in the page's own summary)."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def offers(pack_sizes, url, currency, seller=None):
    """An AggregateOffer with one Offer per pack size; None when nothing can be ordered."""
    if not pack_sizes:
        return None
    prices = [pack.price for pack in pack_sizes]
    aggregate = {
        "@type": "AggregateOffer",
        "priceCurrency": currency,
        "lowPrice": _price(min(prices)),
        "highPrice": _price(max(prices)),
        "offerCount": len(pack_sizes),
        "offers": [
            {
                "@type": "Offer",
                "name": str(pack),
                "price": _price(pack.price),
                "priceCurrency": currency,
                "availability": f"{SCHEMA}/{'InStock' if pack.in_stock else 'OutOfStock'}",
                "url": url,
            }
            for pack in pack_sizes
        ],
    }
    if seller:
        aggregate["seller"] = seller
    return aggregate


def rating_and_reviews(rating, reviews):
    """aggregateRating and Review items, only when approved reviews exist.

    `rating` has `average` and `count` (of approved reviews, as the page shows
    them); `reviews` are the latest approved ones (author_name, rating, text, created).
    """
    if rating is None or not rating.count:
        return {}
    data = {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": _rating_value(rating.average),
            "reviewCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    }
    items = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": review.author_name},
            "datePublished": review.created.date().isoformat(),
            "reviewBody": review.text,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": review.rating,
                "bestRating": 5,
                "worstRating": 1,
            },
        }
        for review in list(reviews or [])[:LATEST_REVIEWS]
    ]
    if items:
        data["review"] = items
    return data


def drug_properties(page, ingredients):
    """schema.org Drug facts from the Medicine tab (catalog/medicine.py); only those set.

    `ingredients` are the page's ProductIngredient rows (with their ActiveIngredient).
    """
    data = {}
    if ingredients:
        names = [row.ingredient.name for row in ingredients]
        data["activeIngredient"] = names[0] if len(names) == 1 else names
        strengths = [
            {
                "@type": "DrugStrength",
                "activeIngredient": row.ingredient.name,
                "strengthValue": float(row.strength),
                "strengthUnit": row.unit,
            }
            for row in ingredients
        ]
        data["availableStrength"] = strengths[0] if len(strengths) == 1 else strengths
    if page.dosage_form:
        data["dosageForm"] = page.dosage_form
    if page.administration_route:
        data["administrationRoute"] = page.administration_route
    if page.non_proprietary_name:
        data["nonProprietaryName"] = page.non_proprietary_name
    if page.is_proprietary is not None:
        data["isProprietary"] = page.is_proprietary
    return data


def breadcrumb_list(url, crumbs):
    """crumbs: [(name, absolute url)], top first, ending with the page itself."""
    return {
        "@type": "BreadcrumbList",
        "@id": f"{url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item_url}
            for position, (name, item_url) in enumerate(crumbs, start=1)
        ],
    }


def product_page_graph(
    page,
    *,
    url,
    crumbs,
    pack_sizes,
    currency,
    pharmacy_name="",
    image_url=None,
    rating=None,
    reviews=None,
    ingredients=None,
    offered=True,
    listing_terms=None,
):
    """The page's JSON-LD: a MedicalWebPage about a Drug (also a Product), and its breadcrumbs.

    Not `offered` (a prescription-only medicine that may not be promoted, catalog/supply.py):
    a Drug only, with no offers, rating or reviews. With `listing_terms`
    (catalog/merchant_listing.py), an offered product is a ProductGroup of its packs, each
    with its own Offer."""
    seller = {"@type": "Pharmacy", "name": pharmacy_name} if pharmacy_name else None
    product = {
        "@type": ["Product", "Drug"] if offered else "Drug",
        "@id": f"{url}#product",
        "name": page.title,
        "description": page.summary,
        "url": url,
        "prescriptionStatus": PRESCRIPTION_STATUS.get(page.legal_status),
    }
    if page.sku:
        product["sku"] = page.sku
    product.update(drug_properties(page, ingredients))
    if image_url:
        product["image"] = image_url
    if offered:
        product_offers = offers(pack_sizes, url, currency, seller)
        if product_offers:
            product["offers"] = product_offers
        product.update(rating_and_reviews(rating, reviews))
    if offered and listing_terms is not None:
        product = as_product_group(
            product,
            page,
            pack_sizes=pack_sizes,
            url=url,
            currency=currency,
            terms=listing_terms,
            seller=seller,
            image_url=image_url,
        )

    web_page = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": page.seo_title or page.title,
        "description": page.search_description or page.summary,
        "inLanguage": "en-GB",
        "mainEntity": {"@id": product["@id"]},
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
    }
    if page.last_reviewed:
        web_page["lastReviewed"] = page.last_reviewed.isoformat()
    if page.reviewed_by:
        web_page["reviewedBy"] = {"@type": "Person", "name": page.reviewed_by}

    return {
        "@context": SCHEMA,
        "@graph": [web_page, product, breadcrumb_list(url, crumbs)],
    }


def pharmacy_organization(pharmacy, url):
    """The home page's Pharmacy (an Organization): who runs the site, from Pharmacy settings."""
    data = {
        "@context": SCHEMA,
        "@type": "Pharmacy",
        "@id": f"{url}#pharmacy",
        "name": pharmacy.pharmacy_name,
        "url": url,
    }
    if pharmacy.legal_owner:
        data["legalName"] = pharmacy.legal_owner
    if pharmacy.phone:
        data["telephone"] = pharmacy.phone
    if pharmacy.email:
        data["email"] = pharmacy.email
    if pharmacy.address:
        data["address"] = {"@type": "PostalAddress", "streetAddress": pharmacy.address.strip()}
    identifiers = [
        ("GPhC premises registration number", pharmacy.registration_number),
        ("Companies House number", pharmacy.company_number),
        ("CQC registration", pharmacy.cqc_registration),
    ]
    found = [
        {"@type": "PropertyValue", "propertyID": name, "value": value}
        for name, value in identifiers
        if value
    ]
    if found:
        data["identifier"] = found
    if pharmacy.register_entry_url:
        data["sameAs"] = pharmacy.register_entry_url
    if pharmacy.superintendent_name:
        superintendent = {
            "@type": "Person",
            "name": pharmacy.superintendent_name,
            "jobTitle": "Superintendent pharmacist",
        }
        if pharmacy.superintendent_registration_number:
            superintendent["identifier"] = {
                "@type": "PropertyValue",
                "propertyID": "GPhC registration number",
                "value": pharmacy.superintendent_registration_number,
            }
        data["employee"] = superintendent
    return data
