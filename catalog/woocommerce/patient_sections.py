"""Description headings that match the patient-information blocks (catalog/blocks.py).

A heading such as "Pregnancy and breastfeeding", "Storage", "Who should not take it",
"Missed dose" or "FAQ" becomes that block; every other heading keeps the mapping in
description.py. Like the rest of the importer, nothing is guessed from prose: the
section's text goes into the block's main part and the editor completes the rest.
"""

import re

from bs4 import Tag

# (block type, pattern on the heading): checked before description.py's table, first wins.
PATIENT_HEADINGS = [
    ("how_to_take", r"missed|forg[eo]t|too much|overdose|\bstop(ping)?\b"),
    ("pregnancy", r"pregnan|breast[\s-]*feed|fertility"),
    ("storage", r"storage|\bstor(e|ing)\b|dispos"),
    ("who_can_take", r"who (can|should|must)|(should|must|do) not take|cannot take|contraindicat"),
    ("common_questions", r"\bfaqs?\b|frequently asked|common questions|questions and answers"),
]
HOW_TO_TAKE_PART = [
    ("missed_dose", r"missed|forg[eo]t"),
    ("too_much", r"too much|overdose"),
    ("stopping", r"stop"),
]
QUESTION_MAX = 200  # CommonQuestionsBlock's question


def _how_to_take(heading, nodes, to_html):
    part = next(name for name, pattern in HOW_TO_TAKE_PART if re.search(pattern, heading, re.I))
    value = dict.fromkeys(["dose", "how_to_take", "missed_dose", "too_much", "stopping"], "")
    value.update(heading="How and when to take it", schedule=[], food="")
    value[part] = to_html(nodes)
    return value


def _who_can_take(heading, nodes, to_html):
    items = []
    rest = []
    for node in nodes:
        if not items and isinstance(node, Tag) and node.name in {"ul", "ol"}:
            items = [" ".join(li.get_text(" ").split())[:200] for li in node.find_all("li")]
        else:
            rest.append(node)
    not_for = re.search(r"\bnot\b|cannot|contraindicat", heading, re.I)
    return {
        "heading": heading,
        "suitable": to_html(rest),
        "do_not_take": items if not_for else [],
        "check_first": [] if not_for else items,
    }


def _questions(nodes, to_html):
    """[(question, answer nodes)]: a paragraph ending in "?" opens a question."""
    pairs = []
    for node in nodes:
        text = " ".join(node.get_text(" ").split()) if isinstance(node, Tag) else ""
        if text.endswith("?") and len(text) <= QUESTION_MAX:
            pairs.append((text, []))
        elif pairs:
            pairs[-1][1].append(node)
    return [{"question": q, "answer": to_html(a)} for q, a in pairs if a]


def _common_questions(heading, nodes, to_html):
    questions = _questions(nodes, to_html)
    if not questions:  # no question marks: keep it as an ordinary section
        return None
    return {"heading": heading, "questions": questions}


BUILDERS = {
    "how_to_take": _how_to_take,
    "pregnancy": lambda heading, nodes, to_html: {
        "heading": heading,
        "pregnancy": to_html(nodes),
        "breastfeeding": "",
        "fertility": "",
    },
    "storage": lambda heading, nodes, to_html: {
        "heading": heading,
        "storage": to_html(nodes),
        "disposal": "",
    },
    "who_can_take": _who_can_take,
    "common_questions": _common_questions,
}


def patient_block(block_type, heading, nodes, to_html):
    """(block type, value) for a patient-information heading; None for the others."""
    builder = BUILDERS.get(block_type)
    if builder is None or not nodes:
        return None
    value = builder(heading, nodes, to_html)
    return (
        (block_type, value) if value else ("section", {"heading": heading, "text": to_html(nodes)})
    )
