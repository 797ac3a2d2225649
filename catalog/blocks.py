"""The information sections an editor can put on a product page.

One StructBlock per kind of section, each with its own template, so the page
(and any later API or import) knows *what* a section is, not just its text.
Every section has a heading; the page turns headings into stable anchors and
an "On this page" contents list.
"""

from django.utils.text import slugify
from wagtail import blocks

# Only what medicine copy needs: no headings (the block supplies them), no embeds.
SECTION_FEATURES = ["bold", "italic", "ol", "ul", "link"]


def section_anchor(heading):
    """A section's anchor from its heading ("section" for a heading with no letters)."""
    return slugify(heading) or "section"


class SectionBlock(blocks.StructBlock):
    """Base for sections: a heading that becomes an anchor and a contents entry."""

    heading = blocks.CharBlock(max_length=80, help_text="Shown as the section's heading.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The page passes a de-duplicated anchor; a lone block (e.g. an admin
        # preview) falls back to its own heading.
        context.setdefault("anchor", section_anchor(value["heading"]))
        return context

    class Meta:
        abstract = True
        preview_template = "catalog/blocks/preview.html"


def _text(help_text="", required=True):
    return blocks.RichTextBlock(features=SECTION_FEATURES, required=required, help_text=help_text)


class OverviewBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Overview")
    text = _text("What the medicine is and who it is for.")

    class Meta:
        template = "catalog/blocks/overview.html"
        icon = "doc-full"
        label = "Overview"
        description = "Introduces the medicine: what it is and who it is for."
        preview_value = {
            "heading": "Overview",
            "text": "<p>A muscle relaxant used to ease stiffness and spasms.</p>",
        }


class MechanismBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="How it works")
    text = _text("How the medicine acts in the body, in plain words.")

    class Meta:
        template = "catalog/blocks/mechanism.html"
        icon = "cogs"
        label = "How it works"
        description = "Explains how the medicine acts in the body."
        preview_value = {
            "heading": "How it works",
            "text": "<p>It calms overactive nerve signals in the spinal cord.</p>",
        }


class UsesBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Uses and indications")
    intro = _text("What the medicine treats.", required=False)
    conditions = blocks.ListBlock(
        blocks.CharBlock(max_length=120, label="Condition"),
        min_num=1,
        help_text="One condition per item, e.g. 'Multiple sclerosis'.",
    )

    class Meta:
        template = "catalog/blocks/uses.html"
        icon = "list-ul"
        label = "Uses and indications"
        description = "The conditions the medicine is used for, as a list."
        preview_value = {
            "heading": "Uses and indications",
            "intro": "<p>Prescribed for spasticity caused by:</p>",
            "conditions": ["Multiple sclerosis", "Spinal cord injury"],
        }


class EfficacyBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Efficacy and benefits")
    text = _text("What patients can expect from treatment.")
    key_facts = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("label", blocks.CharBlock(max_length=60, help_text="e.g. 'Starts working'")),
                ("value", blocks.CharBlock(max_length=120, help_text="e.g. 'Within a few hours'")),
            ],
            label="Key fact",
        ),
        default=[],
        help_text="Optional short facts shown as a table, e.g. onset and duration.",
    )

    class Meta:
        template = "catalog/blocks/efficacy.html"
        icon = "success"
        label = "Efficacy and benefits"
        description = "What the medicine achieves, with optional key facts (onset, duration)."
        preview_value = {
            "heading": "Efficacy and benefits",
            "text": "<p>Most people notice less stiffness within days.</p>",
            "key_facts": [{"label": "Peak effect", "value": "2 to 4 hours after a dose"}],
        }


class DosageBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Dosage and administration")
    text = _text("How to take the medicine.")
    schedule = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("when", blocks.CharBlock(max_length=80, help_text="e.g. 'Days 1 to 3'")),
                (
                    "dose",
                    blocks.CharBlock(max_length=120, help_text="e.g. '5 mg three times a day'"),
                ),
            ],
            label="Dose schedule row",
        ),
        default=[],
        help_text="Optional dose schedule, shown as a table.",
    )

    class Meta:
        template = "catalog/blocks/dosage.html"
        icon = "time"
        label = "Dosage and administration"
        description = "How and when to take the medicine, with an optional dose schedule."
        preview_value = {
            "heading": "Dosage and administration",
            "text": "<p>Swallow the tablets with water, spread through the day.</p>",
            "schedule": [{"when": "Week 1", "dose": "5 mg three times a day"}],
        }


class SideEffectsBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Side effects and precautions")
    intro = _text(required=False)
    common = blocks.ListBlock(
        blocks.CharBlock(max_length=120, label="Side effect"),
        default=[],
        help_text="Common side effects, usually mild.",
    )
    serious = blocks.ListBlock(
        blocks.CharBlock(max_length=120, label="Serious side effect"),
        default=[],
        help_text="Shown under 'Get medical help straight away if you have'.",
    )
    precautions = _text("Who should take extra care, and why.", required=False)

    class Meta:
        template = "catalog/blocks/side_effects.html"
        icon = "warning"
        label = "Side effects and precautions"
        description = "Common and serious side effects, and precautions."
        preview_value = {
            "heading": "Side effects and precautions",
            "common": ["Drowsiness", "Dizziness"],
            "serious": ["Seizures"],
            "precautions": "<p>Take extra care if you have kidney problems.</p>",
        }


class InteractionsBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Interactions")
    intro = _text(required=False)
    interactions = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("substance", blocks.CharBlock(max_length=120, help_text="Medicine or substance")),
                ("effect", blocks.CharBlock(max_length=300, help_text="What happens together")),
            ],
            label="Interaction",
        ),
        min_num=1,
    )

    class Meta:
        template = "catalog/blocks/interactions.html"
        icon = "link"
        label = "Interactions"
        description = "Medicines and substances that interact, and what happens."
        preview_value = {
            "heading": "Interactions",
            "interactions": [{"substance": "Alcohol", "effect": "More drowsiness"}],
        }


class ConclusionBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Summary")
    text = _text()

    class Meta:
        template = "catalog/blocks/conclusion.html"
        icon = "tick"
        label = "Conclusion"
        description = "A closing summary of the key points."
        preview_value = {"heading": "Summary", "text": "<p>Take it as prescribed.</p>"}


class GenericSectionBlock(SectionBlock):
    text = _text()

    class Meta:
        template = "catalog/blocks/generic_section.html"
        icon = "doc-empty"
        label = "Other section"
        description = "Any other section: a heading and text."
        preview_value = {"heading": "Storage", "text": "<p>Keep below 25 °C.</p>"}


class WarningCalloutBlock(blocks.StructBlock):
    """A highlighted warning. Not a section: it has no anchor or contents entry."""

    title = blocks.CharBlock(max_length=120, help_text="e.g. 'Do not stop taking it suddenly'")
    text = _text(required=False)

    class Meta:
        template = "catalog/blocks/warning_callout.html"
        preview_template = "catalog/blocks/preview.html"
        icon = "warning"
        label = "Warning callout"
        description = "A highlighted safety warning, e.g. 'Do not stop taking it suddenly'."
        preview_value = {
            "title": "Do not stop taking it suddenly",
            "text": "<p>Your doctor will lower the dose gradually.</p>",
        }


class ProductBodyBlock(blocks.StreamBlock):
    overview = OverviewBlock()
    mechanism = MechanismBlock()
    uses = UsesBlock()
    efficacy = EfficacyBlock()
    dosage = DosageBlock()
    side_effects = SideEffectsBlock()
    interactions = InteractionsBlock()
    conclusion = ConclusionBlock()
    section = GenericSectionBlock()
    warning = WarningCalloutBlock()
