"""Reviews in the Wagtail admin: the listing, moderation, bulk actions, the pending count."""

import django_filters
from django.shortcuts import get_list_or_404
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.log_actions import LogFormatter, log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import ReviewModerationForm
from .models import Review, ReviewStatus

MODERATE_ACTION = "catalog.review.moderate"


@hooks.register("register_log_actions")
def register_moderation_log_action(actions):
    @actions.register_action(MODERATE_ACTION)
    class ModerateReview(LogFormatter):
        label = "Moderate review"

        def format_message(self, log_entry):
            status = log_entry.data.get("status", "")
            label = dict(ReviewStatus.choices).get(status, status)
            return f"Marked as {label.lower()}"


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Reviews come from customers: nobody adds (or copies) one in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


register_permission_policy(Review, ReviewPermissionPolicy(Review))


class ReviewFilterSet(WagtailFilterSet):
    # A page chooser, not a drop-down: with thousands of products a <select> listing them
    # all took seconds to render (see `make bench-scale`).
    product = django_filters.ModelChoiceFilter(
        queryset=lambda request: Review._meta.get_field("product").related_model.objects.all(),
        widget=AdminPageChooser(target_models=["catalog.ProductPage"]),
    )

    class Meta:
        model = Review
        fields = ["status", "product", "rating"]


class ReviewViewSet(SnippetViewSet):
    model = Review
    icon = "comment"
    menu_label = "Reviews"
    menu_order = 220
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["product_name", "author_name", "rating", "status", "created"]
    filterset_class = ReviewFilterSet
    search_fields = ["author_name", "text"]
    ordering = ["-created", "-pk"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("status"),
            MultiFieldPanel(
                [
                    FieldPanel("product", read_only=True),
                    FieldPanel("product_title", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("author_name", read_only=True),
                            FieldPanel("email", read_only=True),
                        ]
                    ),
                    FieldPanel("rating", read_only=True),
                    FieldPanel("text", read_only=True),
                    FieldRowPanel(
                        [
                            FieldPanel("created", read_only=True),
                            FieldPanel("ip_hash", read_only=True),
                        ]
                    ),
                    FieldPanel("user_agent", read_only=True),
                ],
                heading="What the customer wrote",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("moderated_at", read_only=True),
                    FieldPanel("moderated_by", read_only=True),
                ],
                heading="Moderation",
            ),
        ],
        base_form_class=ReviewModerationForm,
    )

    def get_queryset(self, request):
        # The listing shows each review's product: fetch them with the reviews.
        return Review.objects.select_related("product")


register_snippet(ReviewViewSet)


class ModerateReviewsBulkAction(PermissionCheckedMixin, SnippetBulkAction):
    """Set the status of the selected reviews; moderation never deletes a review."""

    status = None
    permission_required = "change"
    template_name = "catalog/reviews/admin/confirm_bulk_moderation.html"

    @classproperty
    def models(cls):
        return [Review]

    @classmethod
    def get_queryset(cls, model, object_ids):
        return get_list_or_404(model.objects.select_related("product"), pk__in=object_ids)

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(Review)

    def check_perm(self, review):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", review
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = Review.objects.filter(pk__in=[r.pk for r in objects]).moderate(cls.status, user)
        for review in objects:  # each review's History shows who moderated it
            log(review, MODERATE_ACTION, user=user, data={"status": cls.status})
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d review marked as %(status)s.",
            "%(count)d reviews marked as %(status)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": ReviewStatus(self.status).label.lower()}


@hooks.register("register_bulk_action")
class ApproveReviewsBulkAction(ModerateReviewsBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected reviews"
    action_priority = 10
    status = ReviewStatus.APPROVED


@hooks.register("register_bulk_action")
class RejectReviewsBulkAction(ModerateReviewsBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected reviews"
    action_priority = 11
    status = ReviewStatus.REJECTED


@hooks.register("register_bulk_action")
class MarkReviewsAsSpamBulkAction(ModerateReviewsBulkAction):
    display_name = "Mark as spam"
    action_type = "mark_spam"
    aria_label = "Mark the selected reviews as spam"
    action_priority = 12
    status = ReviewStatus.SPAM


class PendingReviewsPanel(Component):
    """The dashboard's "N reviews awaiting moderation", for those who may moderate."""

    name = "pending_reviews"
    template_name = "catalog/reviews/admin/pending_reviews_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["pending_count"] = Review.objects.pending().count()
        context["listing_url"] = (
            reverse("wagtailsnippets_catalog_review:list") + f"?status={ReviewStatus.PENDING}"
        )
        return context


@hooks.register("construct_homepage_panels")
def add_pending_reviews_panel(request, panels):
    if policy_registry.get_by_type(Review).user_has_permission(request.user, "change"):
        panels.append(PendingReviewsPanel())
