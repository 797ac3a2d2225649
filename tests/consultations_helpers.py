"""Shared steps for the consultation tests: a questionnaire, a visitor's answers, a prescriber."""

from django.contrib.auth.models import Group

from consultations.blocks import ATTENTION, STOP
from consultations.models import Prescriber, Questionnaire
from consultations.questions import field_name
from tests.factories import UserFactory

DETAILS = {
    "name": "Sam Patel",
    "date_of_birth": "27/03/1980",
    "email": "sam@example.com",
    "phone": "01632 960 001",
    "address": "1 High Street\nExampletown\nEX1 1AA",
    "gp_practice": "",
}


def live_questionnaire(product, questions=None, title="Spasticity"):
    from consultations.demo import BACLOFEN_QUESTIONS

    questionnaire = Questionnaire(
        title=title, questions=questions or BACLOFEN_QUESTIONS, stop_message="See your GP."
    )
    questionnaire.products = [product]
    questionnaire.save()
    questionnaire.save_revision().publish()
    questionnaire.refresh_from_db()
    return questionnaire


def fine_answers(questionnaire):
    """Answers with no flag, in the demo questionnaire's order."""
    blocks = list(questionnaire.questions)
    names = [field_name(b) for b in blocks]
    return {
        names[0]: "yes",
        names[1]: "yes",
        names[2]: "no",
        names[3]: "no",
        names[4]: "5",  # None of these
        names[5]: "",
        names[6]: "70",
    }


def flagged_answers(questionnaire):
    answers = fine_answers(questionnaire)
    names = [field_name(b) for b in questionnaire.questions]
    answers[names[2]] = "yes"  # pregnant or breastfeeding: needs attention
    return answers


def stop_answers(questionnaire):
    answers = fine_answers(questionnaire)
    answers[field_name(questionnaire.questions[0])] = "no"  # not diagnosed: stop
    return answers


def prescriber(username="dr-khan", email=None, profile=True):
    user = UserFactory(username=username, email=email or f"{username}@pharmacy.test")
    user.groups.add(Group.objects.get(name="Prescribers"))
    if profile:
        Prescriber.objects.create(
            user=user, name="Dr A. Khan", registration_body="gmc", registration_number="7654321"
        )
    return user


__all__ = ["ATTENTION", "STOP"]


def pharmacy_pack_answers(questionnaire, other_paracetamol="no"):
    """Answers to the demo's paracetamol pharmacy-pack questions ("yes" to the second stops)."""
    names = [field_name(b) for b in questionnaire.questions]
    return dict(zip(names, ["yes", other_paracetamol, "no", "no", "no"], strict=True))
