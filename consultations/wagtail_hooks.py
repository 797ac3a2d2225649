from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Prescriber, Questionnaire
from .services import can_review


class QuestionnaireViewSet(SnippetViewSet):
    """Written by editors, signed off by medical reviewers (the Medical sign-off workflow)."""

    model = Questionnaire
    icon = "form"
    menu_label = "Questionnaires"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title", "live"]
    search_fields = ["title"]


class PrescriberViewSet(SnippetViewSet):
    """Prescribers' registrations: administrators (superusers) keep them."""

    model = Prescriber
    icon = "user"
    menu_label = "Prescriber profiles"
    list_display = ["name", "registration_body", "registration_number", "user"]


register_snippet(QuestionnaireViewSet)
register_snippet(PrescriberViewSet)


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_admin_menu_item")
def register_consultations_menu_item():
    return ConsultationsMenuItem(
        "Consultations",
        reverse("consultations_admin:queue"),
        name="consultations",
        icon_name="clipboard-list",
        order=150,
    )


admin_urls = (
    [
        path("", admin_views.queue, name="queue"),
        path("<int:pk>/", admin_views.detail, name="detail"),
        path("<int:pk>/approve/", admin_views.approve, name="approve"),
        path("<int:pk>/ask/", admin_views.ask, name="ask"),
        path("<int:pk>/decline/", admin_views.decline, name="decline"),
        path("<int:pk>/export/", admin_views.export, name="export"),
    ],
    "consultations_admin",
)


@hooks.register("register_admin_urls")
def register_consultations_admin_urls():
    return [path("consultations/", include(admin_urls))]
