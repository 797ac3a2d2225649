"""The admin's "Products" listing: every product page with the facts editors check."""

from django.urls import reverse
from django.utils.dateformat import format as format_date
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.ui.tables.pages import PageStatusColumn, ParentPageColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import ProductPage
from .templatetags.catalog_tags import money


class PriceRangeColumn(Column):
    """'£24.00–£96.00' across the product's pack sizes, in the pharmacy's currency."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        low, high = instance.lowest_price, instance.highest_price
        price = {"request": parent_context["request"]}
        if low is None:
            context["value"] = "No pack sizes"
        elif low == high:
            context["value"] = money(price, low)
        else:
            context["value"] = f"{money(price, low)}–{money(price, high)}"
        return context


class ProductIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().with_price_range()


class ProductPageListingViewSet(PageListingViewSet):
    model = ProductPage
    index_view_class = ProductIndexView
    name = "products"
    icon = "clipboard-list"
    menu_label = "Products"
    menu_order = 200
    add_to_admin_menu = True
    columns = [
        # A plain title link: Wagtail's own title column adds per-row action buttons whose
        # permission checks cost queries per product for editors.
        TitleColumn(
            "title",
            label="Title",
            sort_key="title",
            classname="title",
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        ),
        Column("sku", label="SKU", sort_key="sku"),
        Column(
            "legal_status",
            label="Legal status",
            accessor="get_legal_status_display",
            sort_key="legal_status",
        ),
        PriceRangeColumn("price_range", label="Price range", sort_key="lowest_price"),
        Column(
            "next_review_due",
            label="Next review due",
            sort_key="next_review_due",
            accessor=lambda page: (
                format_date(page.next_review_due, "j M Y") if page.next_review_due else "Not set"
            ),
        ),
        ParentPageColumn("parent", label="Products index"),
        PageStatusColumn("status", label="Status", sort_key="live"),
    ]
