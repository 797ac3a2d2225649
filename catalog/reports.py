"""The "Medical reviews due" admin report: product pages whose review is due or overdue."""

from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .admin_columns import date_column, sku_column, title_column
from .models import REVIEW_DUE_WITHIN_DAYS, ProductPage

# Editors and medical reviewers (anyone who can edit or publish pages) may see it.
REPORT_PERMISSIONS = ["change", "publish"]


class ReviewStatusColumn(Column):
    """'Overdue by 3 days' / 'Due in 12 days' / 'Due today', relative to today."""

    def get_value(self, instance):
        days = (instance.next_review_due - timezone.localdate()).days
        if days < 0:
            return f"Overdue by {-days} day{'s' if days != -1 else ''}"
        if days == 0:
            return "Due today"
        return f"Due in {days} day{'s' if days != 1 else ''}"


class MedicalReviewsDueView(ReportView):
    page_title = "Medical reviews due"
    header_icon = "calendar-alt"
    index_url_name = "medical_reviews_due"
    index_results_url_name = "medical_reviews_due_results"
    permission_policy = PagePermissionPolicy()
    any_permission_required = REPORT_PERMISSIONS
    default_ordering = "next_review_due"
    no_results_message = (
        f"No product page is overdue or due for medical review in the next "
        f"{REVIEW_DUE_WITHIN_DAYS} days."
    )
    list_export = ["title", "sku", "last_reviewed", "reviewed_by", "next_review_due"]
    columns = [
        title_column("Product page"),
        sku_column(),
        date_column("next_review_due", "Next review due"),
        ReviewStatusColumn("status", label="Status"),
        date_column("last_reviewed", "Last reviewed"),
        Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by"),
    ]

    def get_base_queryset(self):
        editable = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, REPORT_PERMISSIONS
        )
        return (
            ProductPage.objects.medical_review_due(timezone.localdate())
            .filter(pk__in=editable.values("pk"))
            .defer_streamfields()
        )


class MedicalReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return MedicalReviewsDueView.permission_policy.user_has_any_permission(
            request.user, REPORT_PERMISSIONS
        )
