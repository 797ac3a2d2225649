"""What search engines and link previews read: meta tags and the product's JSON-LD."""

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from catalog.merchant_listing import ListingTerms
from catalog.models import ProductPage
from catalog.structured_data import pharmacy_organization, product_page_graph, to_json_ld
from home.site_settings import PharmacySettings

register = template.Library()

DESCRIPTION_WORDS = 30

# One rendition for link previews and structured data (large enough for both).
SHARE_IMAGE_SPEC = "max-1200x1200|format-jpeg"


def meta_description(page):
    """The search description if an editor wrote one, else the summary, else the intro."""
    if page.search_description:
        return page.search_description
    summary = getattr(page, "summary", "")
    if summary:
        return summary
    intro = strip_tags(getattr(page, "intro", "") or "").strip()
    return Truncator(" ".join(intro.split())).words(DESCRIPTION_WORDS)


def share_image_url(request, image):
    if image is None:
        return None
    return request.build_absolute_uri(image.get_rendition(SHARE_IMAGE_SPEC).url)


def canonical_url(context, page):
    """The page's own absolute URL; a filtered or later page of a listing keeps that query."""
    url = page.get_full_url(context.get("request"))
    query = []
    category = context.get("category")
    if category is not None:
        query.append(f"category={category.slug}")
    listing = context.get("products")
    if getattr(listing, "number", 1) > 1:
        query.append(f"page={listing.number}")
    return f"{url}?{'&'.join(query)}" if query else url


@register.inclusion_tag("includes/seo_meta.html", takes_context=True)
def seo_meta(context):
    page = context.get("page")
    if page is None or not hasattr(page, "get_full_url"):
        return {}
    request = context.get("request")
    settings = PharmacySettings.load(request_or_site=request)
    return {
        "title": page.seo_title or page.title,
        "description": meta_description(page),
        "canonical": canonical_url(context, page),
        "og_type": "product" if isinstance(page, ProductPage) else "website",
        "site_name": settings.pharmacy_name,
        "image": share_image_url(request, getattr(page, "image", None)),
        "image_alt": getattr(getattr(page, "image", None), "title", ""),
    }


@register.simple_tag(takes_context=True)
def product_structured_data(context):
    """The product page's JSON-LD, from the context the page already built."""
    page = context["page"]
    request = context.get("request")
    settings = PharmacySettings.load(request_or_site=request)
    url = page.get_full_url(request)
    crumbs = [(crumb.title, crumb.get_full_url(request)) for crumb in context["breadcrumbs"]]
    crumbs.append((page.title, url))
    # The reviews the page shows (only when it accepts them): newest first on page 1.
    supply = context["supply"]
    reviews = context.get("reviews") if supply.shows_reviews else None
    data = product_page_graph(
        page,
        url=url,
        crumbs=crumbs,
        pack_sizes=context["pack_sizes"],
        currency=settings.currency,
        pharmacy_name=settings.pharmacy_name,
        image_url=share_image_url(request, page.image),
        rating=reviews,
        reviews=reviews.reviews if reviews is not None and reviews.number == 1 else None,
        ingredients=context.get("ingredients"),
        offered=supply.allows_promotion,
        listing_terms=ListingTerms.from_settings(settings),
    )
    return mark_safe(to_json_ld(data))  # noqa: S308 - escaped by to_json_ld


@register.simple_tag(takes_context=True)
def pharmacy_structured_data(context):
    """The home page's Pharmacy JSON-LD, with the footer's facts (Pharmacy settings)."""
    request = context.get("request")
    settings = PharmacySettings.load(request_or_site=request)
    page = context["page"]
    data = pharmacy_organization(settings, page.get_full_url(request))
    return mark_safe(to_json_ld(data))  # noqa: S308 - escaped by to_json_ld
