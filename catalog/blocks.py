"""The information sections an editor can put on a product page.

One StructBlock per kind of section, each with its own template, so the page
(and any later API or import) knows *what* a section is, not just its text.
Every section has a heading; the page turns headings into stable anchors and
an "On this page" contents list.
"""

from django.utils.text import slugify
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

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
                (
                    "substance",
                    blocks.CharBlock(
                        max_length=120,
                        help_text="Medicine or substance, e.g. 'Alcohol', 'Grapefruit juice', "
                        "'St John's wort'",
                    ),
                ),
                ("effect", blocks.CharBlock(max_length=300, help_text="What happens together")),
                (
                    "product",
                    blocks.PageChooserBlock(
                        page_type="catalog.ProductPage",
                        required=False,
                        help_text="Optional: our product page for this medicine. Linked only "
                        "while that page is published.",
                    ),
                ),
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


# Patient information blocks -------------------------------------------------
# The structure of the patient leaflet (QRD template) and of NHS.UK medicine pages.

# The leaflet's frequency terms, most frequent first (the template lists them in this order).
FREQUENCY_BANDS = [
    ("very_common", "Very common (may affect more than 1 in 10 people)"),
    ("common", "Common (may affect up to 1 in 10 people)"),
    ("uncommon", "Uncommon (may affect up to 1 in 100 people)"),
    ("rare", "Rare (may affect up to 1 in 1,000 people)"),
    ("not_known", "Not known (frequency cannot be estimated from the available data)"),
]

# NHS.UK care cards: what to do, and how urgently.
CARE_LEVELS = [
    ("non_urgent", "Non-urgent: speak to a pharmacist or doctor"),
    ("urgent", "Urgent: call 111 or your doctor now"),
    ("emergency", "Emergency: call 999 or go to A&E"),
]
CARE_CARD_ACTIONS = {
    "non_urgent": ("Non-urgent advice", "Speak to a pharmacist or doctor if:"),
    "urgent": ("Urgent advice", "Call 111 or your doctor now if:"),
    "emergency": ("Immediate action required", "Call 999 or go to A&E now if:"),
}


def _dose_row():
    return blocks.StructBlock(
        [
            ("when", blocks.CharBlock(max_length=80, help_text="e.g. 'Days 1 to 3'")),
            (
                "dose",
                blocks.CharBlock(
                    max_length=120,
                    help_text="e.g. '5 mg three times a day'. A dose written as a number is "
                    "checked against the maximum daily dose before sign-off.",
                ),
            ),
        ],
        label="Dose schedule row",
    )


def _items(label, help_text="", min_num=None, max_num=None, max_length=200):
    return blocks.ListBlock(
        blocks.CharBlock(max_length=max_length, label=label),
        default=[],
        min_num=min_num,
        max_num=max_num,
        help_text=help_text,
    )


class KeyFactsBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Key facts")
    facts = _items(
        "Key fact",
        "3 to 8 short statements, e.g. 'It can make you feel sleepy.'",
        min_num=3,
        max_num=8,
    )

    class Meta:
        template = "catalog/blocks/key_facts.html"
        icon = "list-ul"
        label = "Key facts"
        description = "3 to 8 short statements, shown near the top of the page."
        preview_value = {
            "heading": "Key facts",
            "facts": [
                "It eases muscle stiffness.",
                "It can make you feel sleepy.",
                "Do not stop taking it suddenly.",
            ],
        }


class WhoCanTakeBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Who can and cannot take it")
    suitable = _text("Who the medicine is for.")
    do_not_take = _items("Do not take it if", "Each reason someone must not take it.")
    check_first = _items(
        "Check with a prescriber first if", "Conditions where a prescriber must decide first."
    )

    class Meta:
        template = "catalog/blocks/who_can_take.html"
        icon = "group"
        label = "Who can and cannot take it"
        description = "Who it is for, who must not take it, and when to check first."
        preview_value = {
            "heading": "Who can and cannot take it",
            "suitable": "<p>Adults and children whose muscles are stiff after a nerve condition.</p>",
            "do_not_take": ["You have had an allergic reaction to it"],
            "check_first": ["You have kidney problems"],
        }


class HowToTakeBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="How and when to take it")
    dose = _text("Dose and timing, as the prescriber or leaflet gives them.")
    schedule = blocks.ListBlock(_dose_row(), default=[], help_text="Optional dose schedule.")
    food = blocks.CharBlock(
        max_length=200,
        required=False,
        label="With or without food",
        help_text="e.g. 'With or just after food'.",
    )
    how_to_take = _text("How to take this form, e.g. swallow whole with water.", required=False)
    missed_dose = _text("Shown under 'If you forget a dose'.")
    too_much = _text("Shown under 'If you take too much'.")
    stopping = _text("Shown under 'If you want to stop'.")

    class Meta:
        template = "catalog/blocks/how_to_take.html"
        icon = "time"
        label = "How and when to take it"
        description = (
            "Dose and timing, food, and what to do after a missed dose, too much, or to stop."
        )
        preview_value = {
            "heading": "How and when to take it",
            "dose": "<p>Take it exactly as your prescriber tells you.</p>",
            "food": "With or just after food",
            "missed_dose": "<p>Take the next dose at the usual time. Do not take two at once.</p>",
            "too_much": "<p>Go to A&amp;E straight away. Take the pack with you.</p>",
            "stopping": "<p>Do not stop suddenly: your prescriber will lower the dose slowly.</p>",
        }


class SideEffectFrequenciesBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Side effects")
    intro = _text(required=False)
    serious = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("effect", blocks.CharBlock(max_length=200)),
                ("urgency", blocks.ChoiceBlock(choices=CARE_LEVELS[1:], default="urgent")),
            ],
            label="Serious side effect",
        ),
        default=[],
        help_text="Serious side effects, each with how urgently to get help.",
    )
    effects = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("effect", blocks.CharBlock(max_length=200)),
                ("frequency", blocks.ChoiceBlock(choices=FREQUENCY_BANDS, default="common")),
            ],
            label="Side effect",
        ),
        default=[],
        help_text="Other side effects, each with the leaflet's frequency band.",
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["bands"] = [
            (label, [row["effect"] for row in value["effects"] if row["frequency"] == band])
            for band, label in FREQUENCY_BANDS
        ]
        context["serious_by_urgency"] = [
            (
                CARE_CARD_ACTIONS[level],
                [r["effect"] for r in value["serious"] if r["urgency"] == level],
            )
            for level, _label in reversed(CARE_LEVELS[1:])
        ]
        return context

    class Meta:
        template = "catalog/blocks/side_effect_frequencies.html"
        icon = "warning"
        label = "Side effects (leaflet frequencies)"
        description = "Side effects by the leaflet's frequency bands; serious ones with urgency."
        preview_value = {
            "heading": "Side effects",
            "serious": [{"effect": "Fits (seizures)", "urgency": "emergency"}],
            "effects": [{"effect": "Feeling sleepy", "frequency": "very_common"}],
        }


class CareCardBlock(blocks.StructBlock):
    """An NHS.UK-style care card. Not a section: it has no anchor or contents entry."""

    level = blocks.ChoiceBlock(choices=CARE_LEVELS, default="non_urgent")
    symptoms = _items("Symptom or situation", "Each thing that calls for this action.", min_num=1)
    text = _text("Optional text after the list.", required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["label"], context["action"] = CARE_CARD_ACTIONS[value["level"]]
        return context

    class Meta:
        template = "catalog/blocks/care_card.html"
        preview_template = "catalog/blocks/preview.html"
        icon = "help"
        label = "Care card"
        description = "What to do and how urgently: pharmacist or doctor, 111, or 999 / A&E."
        preview_value = {"level": "urgent", "symptoms": ["You feel very confused"]}


class PregnancyBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Pregnancy, breastfeeding and fertility")
    pregnancy = _text("Taking it while pregnant or trying for a baby.")
    breastfeeding = _text("Taking it while breastfeeding.")
    fertility = _text("Effects on fertility, if known.", required=False)

    class Meta:
        template = "catalog/blocks/pregnancy.html"
        icon = "user"
        label = "Pregnancy, breastfeeding and fertility"
        description = "Pregnancy, breastfeeding and fertility, each under its own heading."
        preview_value = {
            "heading": "Pregnancy, breastfeeding and fertility",
            "pregnancy": "<p>Talk to your prescriber before taking it.</p>",
            "breastfeeding": "<p>Ask your pharmacist or doctor first.</p>",
        }


class StorageBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Storage and disposal")
    storage = _text("How to store it.")
    disposal = _text("How to get rid of unused medicine.", required=False)

    class Meta:
        template = "catalog/blocks/storage.html"
        icon = "home"
        label = "Storage and disposal"
        description = "How to store the medicine and dispose of what is left."
        preview_value = {
            "heading": "Storage and disposal",
            "storage": "<p>Keep it out of the sight and reach of children.</p>",
            "disposal": "<p>Take unused medicine to a pharmacy.</p>",
        }


class IngredientsBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Ingredients")
    active = blocks.CharBlock(
        max_length=200, help_text="The active ingredient(s), e.g. 'Each tablet contains ...'"
    )
    other = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("name", blocks.CharBlock(max_length=120)),
                (
                    "allergen",
                    blocks.BooleanBlock(
                        required=False, help_text="Highlighted, e.g. lactose, gluten, peanut oil."
                    ),
                ),
            ],
            label="Other ingredient",
        ),
        default=[],
    )
    note = _text("e.g. what the medicine looks like and what is in the pack.", required=False)

    class Meta:
        template = "catalog/blocks/ingredients.html"
        icon = "list-ol"
        label = "Ingredients"
        description = "Active and other ingredients, allergens highlighted."
        preview_value = {
            "heading": "Ingredients",
            "active": "The active ingredient is paracetamol.",
            "other": [
                {"name": "Maize starch", "allergen": False},
                {"name": "Lactose", "allergen": True},
            ],
        }


class CommonQuestionsBlock(SectionBlock):
    heading = blocks.CharBlock(max_length=80, default="Common questions")
    questions = blocks.ListBlock(
        blocks.StructBlock(
            [("question", blocks.CharBlock(max_length=200)), ("answer", _text())],
            label="Question",
        ),
        min_num=1,
    )

    class Meta:
        template = "catalog/blocks/common_questions.html"
        icon = "help"
        label = "Common questions"
        description = "Questions and answers, each opened by the visitor."
        preview_value = {
            "heading": "Common questions",
            "questions": [{"question": "Can I drink alcohol?", "answer": "<p>Ask first.</p>"}],
        }


class StandardTextBlock(blocks.StructBlock):
    """A shared Standard text snippet: edit the snippet once, every page changes."""

    text = SnippetChooserBlock("catalog.StandardText")

    class Meta:
        template = "catalog/blocks/standard_text.html"
        icon = "snippet"
        label = "Standard text"
        description = (
            "A shared sentence from the Standard texts, e.g. 'Keep out of reach of children'."
        )


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
    # Patient information in the leaflet's and NHS.UK's structure.
    key_facts = KeyFactsBlock()
    who_can_take = WhoCanTakeBlock()
    how_to_take = HowToTakeBlock()
    side_effect_frequencies = SideEffectFrequenciesBlock()
    care_card = CareCardBlock()
    pregnancy = PregnancyBlock()
    storage = StorageBlock()
    ingredients = IngredientsBlock()
    common_questions = CommonQuestionsBlock()
    standard_text = StandardTextBlock()
