"""The demo's patient-information sections (catalog/demo.py builds the pages from them).

Careful, general wording in our own words: no dose or number that the page the project
was modelled on does not give. What a real page says comes from the medicine's leaflet.
"""

from decimal import Decimal

STANDARD_TEXTS = {
    "Keep out of reach of children": (
        "<p>Keep this medicine out of the sight and reach of children.</p>"
    ),
    "Disposal of unused medicines": (
        "<p>Do not throw medicines away in household rubbish or down the toilet. Take any you "
        "no longer need to a pharmacy, which will dispose of them safely.</p>"
    ),
    "Ask your pharmacist": (
        "<p>If you have any questions about this medicine, ask one of our pharmacists.</p>"
    ),
}

BACLOFEN_FACTS = {
    "dosage_form": "tablet",
    "administration_route": "oral",
    "non_proprietary_name": "Baclofen",
    "is_proprietary": False,
    "atc_code": "M03BX01",
    "leaflet_revised": None,  # set in demo.py, before the page's last review
}

# The first goes before the seed's sections (key facts near the top), the rest after them.
BACLOFEN_PATIENT_SECTIONS = [
    (
        "key_facts",
        {
            "heading": "Key facts",
            "facts": [
                "Baclofen is a muscle relaxant for severe spasticity.",
                "It usually starts to work within a few hours of a dose.",
                "It can make you feel drowsy or dizzy.",
                "Alcohol adds to its drowsiness.",
                "Do not stop taking it suddenly: your prescriber will lower the dose slowly.",
            ],
        },
    ),
    (
        "who_can_take",
        {
            "heading": "Who can and cannot take it",
            "suitable": (
                "<p>Baclofen 40 mg is for people with severe spasticity caused by a condition of "
                "the brain or spinal cord, such as multiple sclerosis, a spinal cord injury or "
                "cerebral palsy, when their prescriber decides this strength is right for "
                "them.</p>"
            ),
            "do_not_take": ["You have had an allergic reaction to baclofen"],
            "check_first": [
                "You have kidney problems",
                "You have a mental health condition",
                "You have ever had a problem with drugs or alcohol",
            ],
        },
    ),
    (
        "how_to_take",
        {
            "heading": "How and when to take it",
            "dose": (
                "<p>Take baclofen exactly as your prescriber tells you. Your dose is set for you, "
                "starting low and raised step by step, and the daily amount is split into "
                "several doses.</p>"
            ),
            "schedule": [],
            "food": "",
            "how_to_take": "<p>Swallow the tablets with a drink of water.</p>",
            "missed_dose": (
                "<p>Take it as soon as you remember, unless it is nearly time for your next "
                "dose. Never take two doses together to make up for a forgotten one.</p>"
            ),
            "too_much": (
                "<p>Contact your doctor or go to A&amp;E straight away, even if you feel well. "
                "Take the medicine's pack or leaflet with you.</p>"
            ),
            "stopping": (
                "<p>Do not stop taking baclofen suddenly. Stopping at once can bring the "
                "spasticity back and cause hallucinations or fits. If you need to stop, your "
                "prescriber will reduce the dose gradually.</p>"
            ),
        },
    ),
    (
        "side_effect_frequencies",
        {
            "heading": "Side effects by how often they happen",
            "intro": (
                "<p>The common side effects are often mild and tend to settle as your body gets "
                "used to the medicine. Serious side effects are rare, but need help at once.</p>"
            ),
            "serious": [
                {"effect": "Slow or shallow breathing", "urgency": "emergency"},
                {"effect": "A fit (seizure)", "urgency": "emergency"},
                {"effect": "Hallucinations", "urgency": "urgent"},
                {"effect": "Confusion", "urgency": "urgent"},
            ],
            "effects": [
                {"effect": effect, "frequency": "common"}
                for effect in [
                    "Drowsiness",
                    "Dizziness",
                    "Weakness",
                    "Tiredness",
                    "Feeling sick (nausea)",
                    "Dry mouth",
                ]
            ],
        },
    ),
    (
        "care_card",
        {
            "level": "non_urgent",
            "symptoms": [
                "Side effects bother you or do not go away",
                "Your muscles feel stiffer than usual",
            ],
            "text": "",
        },
    ),
    (
        "pregnancy",
        {
            "heading": "Pregnancy, breastfeeding and fertility",
            "pregnancy": (
                "<p>If you are pregnant, think you might be, or are trying for a baby, talk to "
                "your prescriber before taking baclofen.</p>"
            ),
            "breastfeeding": (
                "<p>Ask your prescriber or pharmacist for advice before taking it while you are "
                "breastfeeding.</p>"
            ),
            "fertility": "",
        },
    ),
    (
        "storage",
        {
            "heading": "Storage and disposal",
            "storage": "<p>Store the tablets as the leaflet in the pack says.</p>",
            "disposal": (
                "<p>Take any tablets you no longer need to a pharmacy. Do not put them in "
                "household rubbish or down the toilet.</p>"
            ),
        },
    ),
    (
        "common_questions",
        {
            "heading": "Common questions",
            "questions": [
                {
                    "question": "Can I drink alcohol while taking baclofen?",
                    "answer": (
                        "<p>Alcohol adds to baclofen's drowsiness and can slow your breathing. "
                        "Talk to your prescriber or pharmacist before drinking any.</p>"
                    ),
                },
                {
                    "question": "Can I take it with other medicines?",
                    "answer": (
                        "<p>Some medicines, such as benzodiazepines, opioid painkillers and "
                        "sedating antihistamines, add to its effects. Tell your prescriber and "
                        "pharmacist about everything you take, including supplements and herbal "
                        "remedies.</p>"
                    ),
                },
            ],
        },
    ),
]

PARACETAMOL = {
    "title": "Paracetamol 500 mg tablets",
    "slug": "paracetamol-500-mg-tablets",
    "summary": "A painkiller for everyday aches and pains, and to bring down a high temperature.",
    "price": Decimal("0.99"),  # demo price
}

# The same medicine in the larger pack a pharmacy sells (a pharmacy medicine in the UK); its
# patient information is paracetamol's, its questions consultations/demo.py's.
PHARMACY_PARACETAMOL = {
    "title": "Paracetamol 500 mg tablets, pharmacy pack",
    "slug": "paracetamol-500-mg-tablets-pharmacy-pack",
    "summary": "The larger pack of paracetamol, sold after a few questions a pharmacist checks.",
    "quantity": 32,  # the most one order may hold (catalog/demo.py PARACETAMOL_UNITS_PER_ORDER)
    "price": Decimal("1.79"),  # demo price
}

PARACETAMOL_FACTS = {
    "dosage_form": "tablet",
    "administration_route": "oral",
    "non_proprietary_name": "Paracetamol",
    "is_proprietary": False,
    "atc_code": "N02BE01",
    "leaflet_revised": None,
}


def paracetamol_body(texts):
    """Every patient-information block, in the order a visitor reads them."""
    return [
        (
            "key_facts",
            {
                "heading": "Key facts",
                "facts": [
                    "Paracetamol eases pain and brings down a high temperature.",
                    "Follow the dose on the pack: taking too much can damage your liver.",
                    "Many cold and flu remedies also contain paracetamol.",
                ],
            },
        ),
        (
            "who_can_take",
            {
                "heading": "Who can and cannot take it",
                "suitable": "<p>Most adults can take paracetamol. The pack says who it is for.</p>",
                "do_not_take": ["You have had an allergic reaction to paracetamol"],
                "check_first": [
                    "You have liver or kidney problems",
                    "You regularly drink more alcohol than recommended",
                ],
            },
        ),
        (
            "how_to_take",
            {
                "heading": "How and when to take it",
                "dose": "<p>Take the dose the pack and the leaflet give, and no more.</p>",
                "schedule": [],
                "food": "With or without food",
                "how_to_take": "<p>Swallow the tablets with a drink of water.</p>",
                "missed_dose": (
                    "<p>Take it when you need it, leaving the time between doses that the pack "
                    "gives. Never take two doses at once.</p>"
                ),
                "too_much": (
                    "<p>Go to A&amp;E straight away, even if you feel well: the damage an "
                    "overdose does may not show at first.</p>"
                ),
                "stopping": "<p>You can stop taking it when you no longer need it.</p>",
            },
        ),
        (
            "side_effect_frequencies",
            {
                "heading": "Side effects",
                "intro": "<p>Side effects are rare when paracetamol is taken as the pack says.</p>",
                "serious": [
                    {"effect": "Swelling of the lips, mouth or throat", "urgency": "emergency"},
                    {"effect": "A skin rash that blisters or peels", "urgency": "urgent"},
                ],
                "effects": [{"effect": "Skin rash", "frequency": "rare"}],
            },
        ),
        (
            "care_card",
            {
                "level": "urgent",
                "symptoms": ["You have taken more than the pack says, even if you feel well"],
                "text": "",
            },
        ),
        (
            "interactions",
            {
                "heading": "Other medicines",
                "intro": "<p>Check with a pharmacist before taking it with other medicines.</p>",
                "interactions": [
                    {
                        "substance": "Other medicines containing paracetamol",
                        "effect": "Too much paracetamol: check every label",
                        "product": None,
                    },
                    {
                        "substance": "Alcohol",
                        "effect": "Heavy drinking adds to the risk of liver damage",
                        "product": None,
                    },
                ],
            },
        ),
        (
            "pregnancy",
            {
                "heading": "Pregnancy, breastfeeding and fertility",
                "pregnancy": "<p>Ask a pharmacist or doctor before taking it if you are pregnant.</p>",
                "breastfeeding": "<p>Ask a pharmacist before taking it while breastfeeding.</p>",
                "fertility": "",
            },
        ),
        (
            "storage",
            {
                "heading": "Storage and disposal",
                "storage": "<p>Store in the original pack, as the leaflet says.</p>",
                "disposal": "",
            },
        ),
        ("standard_text", {"text": texts["Keep out of reach of children"]}),
        ("standard_text", {"text": texts["Disposal of unused medicines"]}),
        (
            "ingredients",
            {
                "heading": "Ingredients",
                "active": "Each tablet contains 500 mg of paracetamol.",
                "other": [],
                "note": "<p>The other ingredients are listed in the leaflet in the pack.</p>",
            },
        ),
        (
            "common_questions",
            {
                "heading": "Common questions",
                "questions": [
                    {
                        "question": "Can I take it with a cold and flu remedy?",
                        "answer": (
                            "<p>Only if the remedy contains no paracetamol. Many do: check the "
                            "label, or ask a pharmacist.</p>"
                        ),
                    },
                    {
                        "question": "Can I drink alcohol while taking it?",
                        "answer": "<p>A small amount is usually fine. Ask a pharmacist if unsure.</p>",
                    },
                ],
            },
        ),
        ("standard_text", {"text": texts["Ask your pharmacist"]}),
    ]
