"""The "Medical reviews due" admin report: product pages whose review is due or overdue."""

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import REVIEW_DUE_WITHIN_DAYS, ProductPage

# Editors and medical reviewers (anyone who can edit or publish pages) may see it.
REPORT_PERMISSIONS = ["change", "publish"]


def review_date(value):
    return format_date(value, "j M Y") if value else ""


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
        TitleColumn(
            "title",
            label="Product page",
            sort_key="title",
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        ),
        Column("sku", label="SKU", sort_key="sku"),
        Column(
            "next_review_due",
            label="Next review due",
            sort_key="next_review_due",
            accessor=lambda page: review_date(page.next_review_due),
        ),
        ReviewStatusColumn("status", label="Status"),
        Column(
            "last_reviewed",
            label="Last reviewed",
            sort_key="last_reviewed",
            accessor=lambda page: review_date(page.last_reviewed),
        ),
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
