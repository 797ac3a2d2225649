"""Form data for the Wagtail admin's product page form, built with Wagtail's own helpers."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def list_block(items):
    """A ListBlock's form data: the same count/order/deleted shape as a StreamField."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i)} for i, item in enumerate(items)}
    data["count"] = str(len(items))
    return data


def product_form_data(body=(), packs=(), initial_packs=0, publish=True, **fields):
    data = {
        "title": "Baclofen 10 mg",
        "slug": "baclofen-10-mg",
        "summary": "Relaxes stiff muscles.",
        "legal_status": "pom",
        "sku": "",
        "body": streamfield(list(body)),
        "pack_sizes": inline_formset(list(packs), initial=initial_packs),
        "comments": inline_formset([]),
        **fields,
    }
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


def overview(heading, html):
    return ("overview", {"heading": heading, "text": rich_text(html)})


def uses(heading, conditions):
    return (
        "uses",
        {"heading": heading, "intro": rich_text(""), "conditions": list_block(conditions)},
    )


def dosage(heading, html, schedule):
    return (
        "dosage",
        {"heading": heading, "text": rich_text(html), "schedule": list_block(schedule)},
    )


def pack(quantity, price, unit="tablets", in_stock=True, previous_price="", pk=None):
    data = {
        "quantity": str(quantity),
        "price": str(price),
        "unit": unit,
        "previous_price": str(previous_price),
    }
    if in_stock:
        data["in_stock"] = "on"
    if pk is not None:
        data["id"] = str(pk)
    return data


def add_url(parent):
    """The admin's add view for a product page under `parent`."""
    return reverse("wagtailadmin_pages:add", args=("catalog", "productpage", parent.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))
