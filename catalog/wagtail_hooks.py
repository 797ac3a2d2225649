from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .listing import ProductPageListingViewSet
from .models import ActiveIngredient, ProductCategory, StandardText
from .reports import MedicalReviewsDueMenuItem, MedicalReviewsDueView
from .reviews import admin as reviews_admin  # noqa: F401 - registers the Review snippet
from .woocommerce.product_pages import IMPORT_SIGN_OFF_ACTION


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "tag"
    menu_label = "Categories"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(ProductCategoryViewSet)


class ActiveIngredientViewSet(SnippetViewSet):
    model = ActiveIngredient
    icon = "pick"
    menu_label = "Active ingredients"
    list_display = ["name"]
    search_fields = ["name"]


class StandardTextViewSet(SnippetViewSet):
    """Shared sentences; each edit is a revision, and the usage view lists the pages."""

    model = StandardText
    icon = "snippet"
    menu_label = "Standard texts"
    list_display = ["title"]
    search_fields = ["title"]


register_snippet(ActiveIngredientViewSet)
register_snippet(StandardTextViewSet)


@hooks.register("register_admin_viewset")
def register_product_listing():
    return ProductPageListingViewSet()


@hooks.register("register_admin_urls")
def register_medical_reviews_due_urls():
    return [
        path(
            "reports/medical-reviews-due/",
            MedicalReviewsDueView.as_view(),
            name="medical_reviews_due",
        ),
        path(
            "reports/medical-reviews-due/results/",
            MedicalReviewsDueView.as_view(results_only=True),
            name="medical_reviews_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_medical_reviews_due_menu_item():
    return MedicalReviewsDueMenuItem(
        "Medical reviews due",
        reverse("medical_reviews_due"),
        name="medical-reviews-due",
        icon_name="calendar-alt",
        order=50,
    )


@hooks.register("register_log_actions")
def register_import_sign_off_log_action(actions):
    @actions.register_action(IMPORT_SIGN_OFF_ACTION)
    class ImportSignOff(LogFormatter):
        label = "Medical sign-off at import"

        def format_message(self, log_entry):
            return f"Signed off at import by {log_entry.data.get('reviewed_by', '')}"


@hooks.register("insert_editor_js")
def readiness_links_js():
    """The readiness panel's links open the field they name (static/js/readiness.js)."""
    return format_html('<script src="{}" defer></script>', static("js/readiness.js"))
