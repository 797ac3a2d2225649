"""Readiness checks: what must be true of a product page before a medical reviewer sees it.

Each check is a plain function of a `Draft` (the page's fields, sections, active
ingredients and packs, as saved or as being edited) that returns a `Result`. The page
editor lists the results (catalog/readiness_panel.py); submitting to "Medical sign-off"
is refused while one fails (catalog/models.py ProductPageForm), and a reviewer may approve
anyway only with a written reason (catalog/signoff.py). To add a check, write a function
and add it to CHECKS.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.timezone import localdate

from .medicine import PACK_UNIT_FOR_FORM


@dataclass
class Result:
    name: str
    passed: bool
    problems: list = field(default_factory=list)
    # Where the editor fixes it: the editor tab and the field.
    tab: str = "content"
    field: str = "body"


@dataclass
class Draft:
    """What the checks look at: the page, its body blocks (type, value) and its rows."""

    page: object
    blocks: list
    ingredients: list  # objects with .ingredient, .strength, .unit
    packs: list  # objects with .quantity, .unit
    today: date = field(default_factory=localdate)

    @classmethod
    def of(cls, page, today=None):
        """A saved (or in-memory, for a form's instance) page's draft."""
        return cls(
            page=page,
            blocks=[(block.block_type, block.value) for block in page.body],
            ingredients=list(page.ingredients.all()),
            packs=list(page.pack_sizes.all()),
            today=today or localdate(),
        )


# Each required section, and the block types that provide it (the older WooCommerce-shaped
# blocks count too, so imported pages are not asked to start again).
SECTIONS = {
    "Who can and cannot take it": {"who_can_take"},
    "How and when to take it": {"how_to_take", "dosage"},
    "Side effects": {"side_effect_frequencies", "side_effects"},
    "Interactions": {"interactions"},
    "Storage and disposal": {"storage"},
}
REQUIRED_SECTIONS = {
    "pom": list(SECTIONS),
    "p": list(SECTIONS),
    "gsl": ["Storage and disposal"],
}

UNITS = {"mg": "mg", "milligram": "mg", "microgram": "microgram", "mcg": "microgram", "g": "g"}
UNIT = r"(mg|milligrams?|micrograms?|mcg|g)\b"
AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*" + UNIT, re.I)
TIMES_A_DAY = {"once": 1, "twice": 2, "three times": 3, "four times": 4, "five times": 5}
TIMES = re.compile(
    r"\b(once|twice|three times|four times|five times|(\d+) times)\s+(a|per) day", re.I
)


def _unit(text):
    text = text.lower().rstrip("s")
    return UNITS.get(text, text)


def required_sections(draft):
    """Prescription-only and pharmacy medicines need the leaflet's core sections."""
    present = {block_type for block_type, _value in draft.blocks}
    wanted = REQUIRED_SECTIONS.get(draft.page.legal_status, [])
    missing = [name for name in wanted if not SECTIONS[name] & present]
    return Result(
        "Required sections are present",
        not missing,
        [f"Add a '{name}' section." for name in missing],
    )


def _title_strength(title):
    """(Decimal amount, unit) of the first strength in a title ('Baclofen 40 mg'), or None."""
    match = AMOUNT.search(title)
    return (Decimal(match.group(1)), _unit(match.group(2))) if match else None


def strength_agrees(draft):
    """The title's strength, the structured strength and the pack unit tell one story."""
    problems = []
    strengths = {(row.strength, row.unit) for row in draft.ingredients if row.strength is not None}
    in_title = _title_strength(draft.page.title)
    if not draft.ingredients:
        problems.append("Add the active ingredient and its strength on the Medicine tab.")
    elif in_title and in_title not in strengths:
        written = ", ".join(f"{s.normalize():f} {u}" for s, u in sorted(strengths))
        problems.append(
            f"The title says {in_title[0]:f} {in_title[1]}, the Medicine tab says {written}."
        )
    form_unit = PACK_UNIT_FOR_FORM.get(draft.page.dosage_form)
    if form_unit:
        for pack in draft.packs:
            if not pack.unit.lower().startswith(form_unit):
                problems.append(
                    f"The pack of {pack.quantity} is counted in '{pack.unit}', "
                    f"but the dosage form is {draft.page.get_dosage_form_display().lower()}."
                )
    return Result(
        "Strength and packs agree", not problems, problems, tab="medicine", field="ingredients"
    )


def _schedule_rows(draft):
    for block_type, value in draft.blocks:
        if block_type in {"dosage", "how_to_take"}:
            yield from value["schedule"]


def daily_amount(dose):
    """(amount per day, unit) of a dose written as a number ('5 mg three times a day'), or None."""
    match = AMOUNT.search(dose)
    if not match:
        return None
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation:
        return None
    times = TIMES.search(dose)
    if times:
        amount *= int(times.group(2)) if times.group(2) else TIMES_A_DAY[times.group(1).lower()]
    return amount, _unit(match.group(2))


def dose_within_maximum(draft):
    """No dose schedule row written as a number exceeds the maximum daily dose."""
    page = draft.page
    problems = []
    for row in _schedule_rows(draft):
        daily = daily_amount(row["dose"])
        if daily is None:
            continue
        if page.max_daily_dose is None:
            problems.append(
                f"'{row['dose']}' is a numeric dose: set the maximum daily dose on the Medicine tab."
            )
        elif daily[1] == page.max_daily_dose_unit and daily[0] > page.max_daily_dose:
            problems.append(
                f"'{row['when']}: {row['dose']}' is {daily[0]:f} {daily[1]} a day, more than "
                f"the maximum daily dose of {page.max_daily_dose.normalize():f} {daily[1]}."
            )
    return Result(
        "Doses are within the maximum daily dose",
        not problems,
        problems,
        tab="medicine",
        field="max_daily_dose",
    )


def review_dates(draft):
    """A future next-review date; a leaflet revised since the last review asks for another."""
    page = draft.page
    problems = []
    if page.next_review_due is None:
        problems.append("Set the next review date.")
    elif page.next_review_due <= draft.today:
        problems.append("The next review date has passed: set a date in the future.")
    if page.leaflet_revised and page.last_reviewed and page.leaflet_revised > page.last_reviewed:
        problems.append(
            "The leaflet was revised after the last medical review: the page needs a re-review "
            "(update the last reviewed date once it is done)."
        )
    return Result(
        "Review dates are current", not problems, problems, tab="review", field="next_review_due"
    )


CHECKS = [required_sections, strength_agrees, dose_within_maximum, review_dates]


def run_checks(draft):
    return [check(draft) for check in CHECKS]


def failures(results):
    return [result for result in results if not result.passed]
