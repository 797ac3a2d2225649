"""The importer maps patient-information headings to the new blocks (and keeps the rest)."""

from catalog.woocommerce.description import description_to_blocks

DESCRIPTION = """
<h2>Overview</h2><p>Eases stiff muscles.</p>
<h2>Who should not take it</h2><p>Some people must not.</p><ul><li>People allergic to it</li></ul>
<h2>Missed dose</h2><p>Take it when you remember.</p>
<h2>Pregnancy and breastfeeding</h2><p>Ask your prescriber first.</p>
<h2>Storage</h2><p>Keep it dry.</p>
<h2>FAQ</h2><p>Can I drive?</p><p>Not if you feel sleepy.</p>
<h2>Dosage</h2><p>As prescribed.</p>
<h2>Side effects</h2><p>Drowsiness.</p>
"""


def test_patient_information_headings_become_the_new_blocks():
    blocks = description_to_blocks(DESCRIPTION).blocks
    assert [t for t, _ in blocks] == [
        "overview",
        "who_can_take",
        "how_to_take",
        "pregnancy",
        "storage",
        "common_questions",
        "dosage",
        "side_effects",
    ]
    by_type = dict(blocks)
    assert by_type["who_can_take"]["do_not_take"] == ["People allergic to it"]
    assert by_type["who_can_take"]["suitable"] == "<p>Some people must not.</p>"
    assert by_type["how_to_take"]["missed_dose"] == "<p>Take it when you remember.</p>"
    assert by_type["how_to_take"]["stopping"] == ""
    assert by_type["pregnancy"]["pregnancy"] == "<p>Ask your prescriber first.</p>"
    assert by_type["storage"]["storage"] == "<p>Keep it dry.</p>"
    assert by_type["common_questions"]["questions"] == [
        {"question": "Can I drive?", "answer": "<p>Not if you feel sleepy.</p>"}
    ]


def test_colon_headings_map_too_and_a_faq_without_questions_stays_a_section():
    blocks = description_to_blocks(
        "<p>Storage: Keep below room temperature.</p><p>FAQ: See the leaflet.</p>"
    ).blocks
    assert blocks == [
        (
            "storage",
            {
                "heading": "Storage",
                "storage": "<p>Keep below room temperature.</p>",
                "disposal": "",
            },
        ),
        ("section", {"heading": "FAQ", "text": "<p>See the leaflet.</p>"}),
    ]
