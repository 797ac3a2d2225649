"""A questionnaire's questions as a Django form, and what the answers mean (flags, stop).

Fields are named after the StreamField blocks' ids, which stay the same across
revisions, so answers kept in a draft find their question again.
"""

from dataclasses import dataclass

from django import forms

from .blocks import ATTENTION, NO_FLAG, STOP

YES, NO = "yes", "no"
FLAG_ORDER = {NO_FLAG: 0, ATTENTION: 1, STOP: 2}


def field_name(block):
    return f"q-{block.id}"


def _choices(block):
    if block.block_type == "yes_no":
        return [(YES, "Yes"), (NO, "No")]
    return [(str(i), option["label"]) for i, option in enumerate(block.value["options"])]


def _number_field(value, required):
    low, high, unit = value.get("min_value"), value.get("max_value"), value["unit"]
    if low is not None and high is not None:
        message = f"Enter a number from {low} to {high} ({unit})."
    elif low is not None:
        message = f"Enter a number of at least {low} ({unit})."
    elif high is not None:
        message = f"Enter a number of at most {high} ({unit})."
    else:
        message = f"Enter a number ({unit})."
    errors = dict.fromkeys(["invalid", "min_value", "max_value", "max_digits"], message)
    errors["required"] = "Answer this question: " + message[0].lower() + message[1:]
    return forms.DecimalField(
        required=required,
        min_value=low,
        max_value=high,
        max_digits=12,
        decimal_places=3,
        error_messages=errors,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def make_field(block):
    value = block.value
    required = value["required"]
    kind = block.block_type
    if kind in ("yes_no", "one_of"):
        field = forms.ChoiceField(
            required=required,
            choices=_choices(block),
            widget=forms.RadioSelect,
            error_messages={"required": "Choose an answer.", "invalid_choice": "Choose an answer."},
        )
    elif kind == "several_of":
        field = forms.MultipleChoiceField(
            required=required,
            choices=_choices(block),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one answer.",
                "invalid_choice": "Choose from the answers shown.",
            },
        )
    elif kind == "number":
        field = _number_field(value, required)
        field.unit = value["unit"]
    else:
        field = forms.CharField(
            required=required,
            max_length=300,
            error_messages={
                "required": "Answer this question.",
                "max_length": "Keep your answer under 300 characters.",
            },
        )
    field.label = value["question"]
    field.help_text = value.get("help_text") or ""
    field.kind = kind
    field.summary_names_label = True  # "Is the medicine for you? Choose an answer."
    return field


class QuestionsForm(forms.Form):
    def __init__(self, questionnaire, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.blocks = list(questionnaire.questions)
        for block in self.blocks:
            self.fields[field_name(block)] = make_field(block)

    def stored_answers(self):
        """The cleaned answers as JSON values, for the draft."""
        stored = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            stored[name] = str(value) if not isinstance(value, list) else value
        return stored


@dataclass
class AnsweredQuestion:
    position: int
    question: str
    answer: str
    flag: str
    stop_message: str


def _flag_of(block, raw):
    value = block.value
    if block.block_type == "yes_no":
        return value["if_yes"] if raw == YES else value["if_no"]
    if block.block_type in ("one_of", "several_of"):
        chosen = raw if isinstance(raw, list) else [raw]
        flags = [value["options"][int(i)]["flag"] for i in chosen if i.isdigit()]
        return max(flags, key=lambda f: FLAG_ORDER.get(f, 0), default=NO_FLAG) or NO_FLAG
    return NO_FLAG


def _answer_text(block, raw):
    labels = dict(_choices(block)) if block.block_type in ("yes_no", "one_of", "several_of") else {}
    if isinstance(raw, list):
        return ", ".join(labels.get(i, i) for i in raw)
    if block.block_type == "number":
        return f"{raw} {block.value['unit']}"
    return labels.get(raw, raw)


def answered(questionnaire, answers):
    """Each question with the answer given (unanswered optional ones say so), its flag, and
    the stop message a stop answer shows."""
    rows = []
    for position, block in enumerate(questionnaire.questions):
        raw = answers.get(field_name(block))
        if raw in (None, "", []):
            text, flag = "Not answered", NO_FLAG
        else:
            text, flag = _answer_text(block, raw), _flag_of(block, raw)
        message = block.value.get("stop_message") or questionnaire.stop_message
        rows.append(AnsweredQuestion(position, block.value["question"], text, flag, message))
    return rows


def stop_answer(rows):
    """The first answer marked "stop", or None."""
    return next((row for row in rows if row.flag == STOP), None)
