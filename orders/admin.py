"""Orders in the Wagtail admin: the pharmacists' queue, the order view with their actions,
the export of one customer's orders, and the dashboard's count awaiting a check.

Orders hold personal and health data: only users with the orders permissions (the
Pharmacists group, from a migration, and superusers) see any of it. Nobody adds or deletes an
order here; statuses change only through the actions, which call services.py.
"""

import json

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .emails import unsent
from .forms import ExportForm, PharmacistActionForm
from .models import Order, OrderStatus
from .services import OrderError, available_actions, change_status, export_customer_orders

# The admin's URL namespace ("orders" is the public pages'): /admin/orders/ all the same.
ADMIN_NAMESPACE = "orders_admin"


class OrderPermissionPolicy(ModelPermissionPolicy):
    """Orders come from customers and their history is kept: nobody adds or deletes one."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in ("add", "delete")])


register_permission_policy(Order, OrderPermissionPolicy(Order))


def orders_policy():
    return policy_registry.get_by_type(Order)


def may_see_orders(user):
    return orders_policy().user_has_any_permission(user, ["view", "change"])


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, empty_label="Any status")

    class Meta:
        model = Order
        fields = ["status", "fulfilment"]


class OrderQueueView(IndexView):
    """Awaiting the check first, oldest first, unless a column's ordering is chosen."""

    def order_queryset(self, queryset):
        if not self.request.GET.get("ordering"):
            return queryset.in_queue_order()
        return super().order_queryset(queryset)


class OrderView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """One order: its lines, the customer, the history, the emails, and the actions."""

    model = Order
    template_name = "orders/admin/order.html"
    any_permission_required = ["view", "change"]
    index_url_name = None
    edit_url_name = None
    header_icon = "clipboard-list"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.order = get_object_or_404(Order, pk=kwargs["pk"])

    def get_page_title(self):
        return f"Order {self.order.reference}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Orders"},
            {"url": "", "label": self.order.reference},
        ]

    @cached_property
    def may_act(self):
        return self.user_has_permission("change")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.order
        actions = available_actions(order) if self.may_act else []
        context.update(
            order=order,
            lines=order.lines.all(),
            history=order.status_changes.select_related("by"),
            actions=actions,
            action_form=kwargs.get("action_form") or PharmacistActionForm(actions=actions),
            failed_action=kwargs.get("failed_action", ""),
            unsent_emails=unsent().filter(order=order),
            may_export=self.user_has_permission("export"),
            export_url=reverse(f"{ADMIN_NAMESPACE}:export"),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.may_act:
            raise PermissionDenied
        actions = available_actions(self.order)
        form = PharmacistActionForm(request.POST, actions=actions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = change_status(
                    self.order,
                    data["action"],
                    request.user,
                    note=data["note"],
                    message=data["message"],
                    tracking_reference=data["tracking_reference"],
                )
            except OrderError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Order {order.reference}: {order.get_status_display().lower()}."
                )
                return redirect(request.path)
        context = self.get_context_data(
            action_form=form, failed_action=request.POST.get("action", "")
        )
        return self.render_to_response(context, status=400)


class ExportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A subject access request: every order of one email address, as a JSON download."""

    model = Order
    permission_required = "export"
    template_name = "orders/admin/export.html"
    page_title = "Export a customer's orders"
    header_icon = "download"

    @cached_property
    def permission_policy(self):
        return orders_policy()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ExportForm(initial=self.request.GET)
        return context

    def post(self, request):
        form = ExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        email = form.cleaned_data["email"]
        data = export_customer_orders(email)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        name = slugify(email.replace("@", " at ")) or "customer"
        response["Content-Disposition"] = f'attachment; filename="orders-{name}.json"'
        return response


class OrderViewSet(ModelViewSet):
    model = Order
    url_prefix = "orders"
    icon = "clipboard-list"
    menu_label = "Orders"
    menu_name = "orders"
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = OrderQueueView
    list_display = ["reference", "name", "status", "fulfilment", "created_at"]
    list_filter = None
    filterset_class = OrderFilterSet
    search_fields = ["reference", "name", "email"]
    search_backend_name = None  # the database's own matching: parts of names and addresses
    list_per_page = 50

    @property
    def permission_policy(self):
        return orders_policy()

    @property
    def order_view(self):
        return self.construct_view(OrderView)

    def get_urlpatterns(self):
        """The queue and the order view (as "edit": every link to an order leads there); no
        add, copy or delete."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.order_view, name="edit"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("export/", ExportView.as_view(), name="export"),
        ]


class AwaitingCheckPanel(Component):
    """The dashboard's "N orders awaiting a pharmacist's check", for those who may act."""

    name = "orders_awaiting_check"
    template_name = "orders/admin/awaiting_check_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["awaiting_count"] = Order.objects.awaiting_check().count()
        context["queue_url"] = reverse(f"{ADMIN_NAMESPACE}:index")
        return context
