"""The structured facts about a medicine: its active ingredients, form, route and licence.

Editors fill them in on the product page's "Medicine" tab. The page shows them as a
facts panel, the read API and the JSON-LD (schema.org Drug) publish them, and the
readiness checks (catalog/readiness.py) compare them with the page's words.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable

# A UK product licence: "PL 12345/0001" (PLGB / PLNI for Great Britain / Northern Ireland).
LICENCE_NUMBER = RegexValidator(
    r"^PL(GB|NI)? \d{5}/\d{4}$",
    "Write the licence number as on the pack, e.g. 'PL 12345/0001' (or 'PLGB 12345/0001').",
)
# An ATC code: a letter, two digits, two letters, two digits, at any of its levels (e.g. M03BX01).
ATC_CODE = RegexValidator(
    r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$",
    "An ATC code looks like 'M03BX01': a capital letter, two digits, two letters, two digits.",
)


class StrengthUnit(models.TextChoices):
    MG = "mg", "mg"
    MICROGRAM = "microgram", "micrograms"
    G = "g", "g"
    MG_PER_ML = "mg/ml", "mg/ml"
    PERCENT = "%", "%"
    UNITS = "units", "units"


class DosageForm(models.TextChoices):
    TABLET = "tablet", "Tablet"
    CAPSULE = "capsule", "Capsule"
    ORAL_SOLUTION = "oral solution", "Oral solution"
    ORAL_SUSPENSION = "oral suspension", "Oral suspension"
    CREAM = "cream", "Cream"
    OINTMENT = "ointment", "Ointment"
    GEL = "gel", "Gel"
    INHALER = "inhaler", "Inhaler"
    EYE_DROPS = "eye drops", "Eye drops"
    INJECTION = "injection", "Injection"


# The word a pack of each form is counted in ("90 tablets"); forms sold by volume or
# weight have none, and any pack unit agrees with them.
PACK_UNIT_FOR_FORM = {DosageForm.TABLET: "tablet", DosageForm.CAPSULE: "capsule"}


class Route(models.TextChoices):
    ORAL = "oral", "By mouth"
    TOPICAL = "topical", "On the skin"
    INHALED = "inhaled", "Inhaled"
    EYE = "ophthalmic", "In the eye"
    INJECTION = "injection", "By injection"


class ActiveIngredient(models.Model):
    """An active substance (e.g. "Baclofen"), shared by every product that contains it."""

    name = models.CharField(
        max_length=100, unique=True, help_text="The substance's approved name, e.g. 'Baclofen'."
    )

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProductIngredient(Orderable):
    """One active ingredient of a product, with its strength per unit (e.g. baclofen 40 mg)."""

    page = ParentalKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="ingredients")
    ingredient = models.ForeignKey(ActiveIngredient, on_delete=models.PROTECT, related_name="+")
    strength = models.DecimalField(
        max_digits=9,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Per tablet, capsule or dose unit, e.g. 40.",
    )
    unit = models.CharField(
        max_length=12,
        choices=StrengthUnit.choices,
        default=StrengthUnit.MG,
        help_text="The unit of the strength.",
    )

    panels = [FieldRowPanel([FieldPanel("ingredient"), FieldPanel("strength"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = "active ingredient"

    def __str__(self):
        return f"{self.ingredient} {self.strength_text}"

    @property
    def strength_text(self):
        """'40 mg', not '40.000 mg'."""
        return f"{self.strength.normalize():f} {self.get_unit_display()}"


def _document(label):
    return models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=f"The {label} as a PDF document.",
    )


class MedicineFacts(models.Model):
    """The product page's structured medicine fields (ProductPage inherits them)."""

    dosage_form = models.CharField(
        max_length=20,
        choices=DosageForm.choices,
        blank=True,
        help_text="The form the patient takes, as the leaflet names it.",
    )
    administration_route = models.CharField(
        "route", max_length=20, choices=Route.choices, blank=True, help_text="How it is given."
    )
    non_proprietary_name = models.CharField(
        max_length=100, blank=True, help_text="The generic name, e.g. 'Baclofen'."
    )
    is_proprietary = models.BooleanField(
        "brand name",
        null=True,
        blank=True,
        help_text="Is the product's name a brand name? Leave unknown if unsure.",
    )
    licence_number = models.CharField(
        max_length=20, blank=True, validators=[LICENCE_NUMBER], help_text="e.g. PL 12345/0001"
    )
    marketing_authorisation_holder = models.CharField(
        max_length=150,
        blank=True,
        help_text="The company that holds the licence, from the leaflet.",
    )
    additional_monitoring = models.BooleanField(
        "additional monitoring (▼)",
        default=False,
        help_text="The black triangle: the medicine is under additional monitoring.",
    )
    atc_code = models.CharField(
        "ATC code", max_length=7, blank=True, validators=[ATC_CODE], help_text="e.g. M03BX01"
    )
    max_daily_dose = models.DecimalField(
        "maximum daily dose",
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Used by the readiness checks: no dose schedule row may exceed it.",
    )
    max_daily_dose_unit = models.CharField(
        "unit",
        max_length=12,
        choices=StrengthUnit.choices,
        default=StrengthUnit.MG,
        blank=True,
        help_text="The unit of the maximum daily dose.",
    )
    leaflet = _document("patient information leaflet")
    leaflet_revised = models.DateField(
        "leaflet revised", null=True, blank=True, help_text="The revision date printed on it."
    )
    smpc = _document("summary of product characteristics (SmPC)")
    smpc_revised = models.DateField(
        "SmPC revised", null=True, blank=True, help_text="The revision date printed on it."
    )

    class Meta:
        abstract = True

    medicine_panels = [
        HelpPanel(
            "The medicine's facts as its licence gives them. Visitors see them in a facts "
            "panel; the readiness checks compare them with the page."
        ),
        MultiFieldPanel(
            [
                # The inline panel's relation is declared on ProductPage (models.py).
                FieldRowPanel([FieldPanel("dosage_form"), FieldPanel("administration_route")]),
                FieldRowPanel([FieldPanel("non_proprietary_name"), FieldPanel("is_proprietary")]),
                FieldRowPanel([FieldPanel("max_daily_dose"), FieldPanel("max_daily_dose_unit")]),
            ],
            heading="Form and dose",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("licence_number"), FieldPanel("marketing_authorisation_holder")]
                ),
                FieldRowPanel([FieldPanel("atc_code"), FieldPanel("additional_monitoring")]),
            ],
            heading="Licence",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("leaflet"), FieldPanel("leaflet_revised")]),
                FieldRowPanel([FieldPanel("smpc"), FieldPanel("smpc_revised")]),
            ],
            heading="Leaflet and SmPC",
        ),
    ]

    def medicine_documents(self):
        """[(label, document, revised)] for the documents the page links."""
        documents = [
            ("Patient information leaflet", self.leaflet, self.leaflet_revised),
            ("Summary of product characteristics (SmPC)", self.smpc, self.smpc_revised),
        ]
        return [(label, doc, revised) for label, doc, revised in documents if doc]
