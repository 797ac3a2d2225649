"""The question types an editor puts in a questionnaire (a leaf module: Wagtail only).

Each answer option carries a flag: nothing, "needs the prescriber's attention" (the
consultation is highlighted in the queue) or "stop" (the questionnaire ends with the
editor's message and nothing is sent).
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

NO_FLAG = ""
ATTENTION = "attention"
STOP = "stop"
FLAG_CHOICES = [
    (NO_FLAG, "No flag"),
    (ATTENTION, "Needs the prescriber's attention"),
    (STOP, "Stop: not suitable online"),
]


class FlagBlock(blocks.ChoiceBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "“Stop” ends the questionnaire with the stop message; “attention” highlights "
            "the answer for the prescriber.",
        )
        super().__init__(choices=FLAG_CHOICES, default=NO_FLAG, **kwargs)


class QuestionBase(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300, help_text="The question as patients read it.")
    help_text = blocks.TextBlock(
        required=False, max_length=600, help_text="Optional: shown under the question."
    )
    required = blocks.BooleanBlock(
        required=False, default=True, help_text="Patients must answer before going on."
    )


def stop_message_block():
    return blocks.TextBlock(
        required=False,
        max_length=600,
        help_text="Shown when a “stop” answer is given. Leave blank to use the "
        "questionnaire's stop message.",
    )


class YesNoQuestionBlock(QuestionBase):
    if_yes = FlagBlock(label="If the answer is yes")
    if_no = FlagBlock(label="If the answer is no")
    stop_message = stop_message_block()

    class Meta:
        icon = "tick"
        label = "Yes or no"


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200)
    flag = FlagBlock()

    class Meta:
        icon = "list-ul"


class ChoiceQuestionBlock(QuestionBase):
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=20)
    stop_message = stop_message_block()

    def clean(self, value):
        value = super().clean(value)
        labels = [option["label"].strip().lower() for option in value["options"]]
        if len(set(labels)) != len(labels):
            raise StructBlockValidationError(
                block_errors={"options": ValidationError("Two options have the same label.")}
            )
        return value


class OneOfQuestionBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = "One of several"


class SeveralOfQuestionBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "list-ul"
        label = "Several of several"


class ShortTextQuestionBlock(QuestionBase):
    class Meta:
        icon = "edit"
        label = "Short text"


class NumberQuestionBlock(QuestionBase):
    unit = blocks.CharBlock(max_length=30, help_text="e.g. kg, cm, years")
    min_value = blocks.DecimalBlock(required=False, label="Lowest accepted")
    max_value = blocks.DecimalBlock(required=False, label="Highest accepted")

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={
                    "max_value": ValidationError("The highest must not be below the lowest.")
                }
            )
        return value

    class Meta:
        icon = "order"
        label = "Number with unit"


class QuestionsBlock(blocks.StreamBlock):
    yes_no = YesNoQuestionBlock()
    one_of = OneOfQuestionBlock()
    several_of = SeveralOfQuestionBlock()
    short_text = ShortTextQuestionBlock()
    number = NumberQuestionBlock()

    class Meta:
        min_num = 1
