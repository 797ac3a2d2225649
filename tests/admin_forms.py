"""Form data for the Wagtail admin's product page form, built with Wagtail's own helpers."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def list_block(items):
    """A ListBlock's form data: the same count/order/deleted shape as a StreamField."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i)} for i, item in enumerate(items)}
    data["count"] = str(len(items))
    return data


def product_form_data(body=(), packs=(), initial_packs=0, publish=True, **fields):
    fields.setdefault("ingredients", inline_formset([]))
    data = {
        "title": "Baclofen 10 mg",
        "slug": "baclofen-10-mg",
        "summary": "Relaxes stiff muscles.",
        "legal_status": "pom",
        "sku": "",
        "body": streamfield(list(body)),
        "pack_sizes": inline_formset(list(packs), initial=initial_packs),
        "ingredients": inline_formset([]),
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


# Patient information blocks, as the editor's form posts them ---------------------------


def optional_rich_text(html):
    """An empty Draftail editor posts "null"; one with text posts its content state."""
    return rich_text(html) if html else "null"


def key_facts(facts, heading="Key facts"):
    return ("key_facts", {"heading": heading, "facts": list_block(facts)})


def who_can_take(suitable, do_not_take=(), check_first=(), heading="Who can and cannot take it"):
    return (
        "who_can_take",
        {
            "heading": heading,
            "suitable": rich_text(suitable),
            "do_not_take": list_block(list(do_not_take)),
            "check_first": list_block(list(check_first)),
        },
    )


def how_to_take(dose, schedule=(), food="", heading="How and when to take it"):
    return (
        "how_to_take",
        {
            "heading": heading,
            "dose": rich_text(dose),
            "schedule": list_block(list(schedule)),
            "food": food,
            "how_to_take": optional_rich_text(""),
            "missed_dose": rich_text("<p>Take the next dose at the usual time.</p>"),
            "too_much": rich_text("<p>Contact NHS 111 or go to A&amp;E.</p>"),
            "stopping": rich_text("<p>Talk to your prescriber first.</p>"),
        },
    )


def side_effect_frequencies(effects=(), serious=(), heading="Side effects"):
    """effects: [(effect, frequency band)]; serious: [(effect, urgency)]."""
    return (
        "side_effect_frequencies",
        {
            "heading": heading,
            "intro": optional_rich_text(""),
            "serious": list_block([{"effect": e, "urgency": u} for e, u in serious]),
            "effects": list_block([{"effect": e, "frequency": f} for e, f in effects]),
        },
    )


def care_card(level, symptoms, text=""):
    return (
        "care_card",
        {"level": level, "symptoms": list_block(symptoms), "text": optional_rich_text(text)},
    )


def interactions(rows, heading="Interactions"):
    """rows: [(substance, effect, product page or None)]."""
    return (
        "interactions",
        {
            "heading": heading,
            "intro": optional_rich_text(""),
            "interactions": list_block(
                [
                    {"substance": s, "effect": e, "product": str(p.pk) if p else ""}
                    for s, e, p in rows
                ]
            ),
        },
    )


def pregnancy(pregnancy_html, breastfeeding_html, fertility_html=""):
    return (
        "pregnancy",
        {
            "heading": "Pregnancy, breastfeeding and fertility",
            "pregnancy": rich_text(pregnancy_html),
            "breastfeeding": rich_text(breastfeeding_html),
            "fertility": optional_rich_text(fertility_html),
        },
    )


def storage(storage_html, disposal_html="", heading="Storage and disposal"):
    return (
        "storage",
        {
            "heading": heading,
            "storage": rich_text(storage_html),
            "disposal": optional_rich_text(disposal_html),
        },
    )


def ingredients(active, other=(), note=""):
    """other: [(name, is an allergen)]."""
    return (
        "ingredients",
        {
            "heading": "Ingredients",
            "active": active,
            "other": list_block([{"name": n, "allergen": "on" if a else ""} for n, a in other]),
            "note": optional_rich_text(note),
        },
    )


def common_questions(pairs, heading="Common questions"):
    return (
        "common_questions",
        {
            "heading": heading,
            "questions": list_block([{"question": q, "answer": rich_text(a)} for q, a in pairs]),
        },
    )


def standard_text(snippet):
    return ("standard_text", {"text": str(snippet.pk)})


def ingredient_row(ingredient, strength, unit="mg"):
    return {"ingredient": str(ingredient.pk), "strength": str(strength), "unit": unit}


def ready_for_sign_off(ingredient, strength=10, next_review_due="2099-01-01"):
    """The body and fields a prescription-only page needs to pass the readiness checks."""
    return {
        "body": [
            overview("Overview", "<p>Relaxes stiff muscles.</p>"),
            who_can_take("<p>Adults with stiff muscles.</p>", ["You are allergic to it"]),
            how_to_take("<p>Take it as your prescriber tells you.</p>"),
            side_effect_frequencies([("Feeling sleepy", "very_common")]),
            interactions([("Alcohol", "More drowsiness", None)]),
            storage("<p>Keep out of the sight and reach of children.</p>"),
        ],
        "ingredients": inline_formset([ingredient_row(ingredient, strength)]),
        "next_review_due": next_review_due,
    }
