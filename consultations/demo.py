"""The demo questionnaires: for Baclofen 40 mg, general questions a prescriber would ask;
for the pharmacy pack of paracetamol, the questions a pharmacist checks before it is sold.
Each answer is flagged for their attention or stops; no doses or limits are made up."""

from .blocks import ATTENTION, NO_FLAG, STOP
from .models import Questionnaire

TITLE = "Muscle spasticity (baclofen)"
STOP_MESSAGE = "This medicine is not suitable to buy online: please see your GP."


def yes_no(question, if_yes=NO_FLAG, if_no=NO_FLAG, help_text="", stop_message=""):
    return (
        "yes_no",
        {
            "question": question,
            "help_text": help_text,
            "required": True,
            "if_yes": if_yes,
            "if_no": if_no,
            "stop_message": stop_message,
        },
    )


def options(*labels_and_flags):
    return [{"label": label, "flag": flag} for label, flag in labels_and_flags]


BACLOFEN_QUESTIONS = [
    yes_no(
        "Has a doctor diagnosed your spasticity?",
        if_no=STOP,
        help_text="For example after multiple sclerosis, a spinal cord injury or a stroke.",
        stop_message="Baclofen is only for spasticity a doctor has diagnosed. Please see your GP "
        "about your symptoms.",
    ),
    yes_no("Have you taken baclofen before?", if_no=ATTENTION),
    yes_no("Are you pregnant or breastfeeding?", if_yes=ATTENTION),
    yes_no(
        "Do you take other medicines that make you sleepy?",
        if_yes=ATTENTION,
        help_text="For example sleeping tablets, strong painkillers or some antidepressants.",
    ),
    (
        "several_of",
        {
            "question": "Do you have any of these conditions?",
            "help_text": "Choose all that apply.",
            "required": True,
            "options": options(
                ("Epilepsy or seizures", ATTENTION),
                ("Kidney problems", ATTENTION),
                ("A stomach ulcer", ATTENTION),
                ("A mental health condition", ATTENTION),
                ("An allergy to baclofen", STOP),
                ("None of these", NO_FLAG),
            ),
            "stop_message": "",
        },
    ),
    (
        "short_text",
        {
            "question": "Which other medicines do you take?",
            "help_text": "Include medicines you buy without a prescription.",
            "required": False,
        },
    ),
    (
        "number",
        {
            "question": "What is your weight?",
            "help_text": "",
            "required": False,
            "unit": "kg",
            "min_value": None,
            "max_value": None,
        },
    ),
]


def load_consultation_demo(baclofen):
    """The Baclofen questionnaire, live; created once (editors may change it). Its sign-off
    workflow and rights come from `migrate` (consultations/signoff.py), which runs first."""
    intro = "These questions help our prescriber decide whether baclofen is safe for you."
    return _load(TITLE, intro, BACLOFEN_QUESTIONS, STOP_MESSAGE, baclofen)


def _load(title, intro, questions, stop_message, product):
    if Questionnaire.objects.filter(title=title).exists():
        return None
    questionnaire = Questionnaire(
        title=title, intro=intro, questions=questions, stop_message=stop_message
    )
    questionnaire.products = [product]
    questionnaire.save()
    questionnaire.save_revision().publish()
    return questionnaire


PHARMACY_TITLE = "Paracetamol, pharmacy pack"
PHARMACY_STOP_MESSAGE = "We cannot sell this pack online to you: please speak to a pharmacist."

PARACETAMOL_QUESTIONS = [
    yes_no(
        "Is the medicine for you?",
        if_no=ATTENTION,
        help_text="If it is for someone else, answer the other questions for them.",
    ),
    yes_no(
        "Are you taking any other medicine that contains paracetamol?",
        if_yes=STOP,
        help_text="Many cold and flu remedies contain paracetamol: check their labels.",
        stop_message="Taking two medicines that contain paracetamol can lead to an overdose. "
        "Please speak to a pharmacist or your GP before you buy more.",
    ),
    yes_no("Do you have liver or kidney problems?", if_yes=ATTENTION),
    yes_no(
        "Do you often drink more alcohol than the recommended limits?",
        if_yes=ATTENTION,
    ),
    yes_no(
        "Is the pain one that has lasted a long time or keeps coming back?",
        if_yes=ATTENTION,
        help_text="Pain that lasts or keeps coming back should be seen by a GP.",
    ),
]


def load_pharmacy_questions_demo(product):
    """The pharmacy pack's questions, live; created once (editors may change them)."""
    intro = "These questions help our pharmacist make sure this medicine is right for you."
    return _load(PHARMACY_TITLE, intro, PARACETAMOL_QUESTIONS, PHARMACY_STOP_MESSAGE, product)
