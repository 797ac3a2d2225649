"""The admin's "Products" listing: every product page with the facts editors check."""

from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageStatusColumn, ParentPageColumn
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from .admin_columns import date_column, sku_column, title_column
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
        title_column("Title"),
        sku_column(),
        Column(
            "legal_status",
            label="Legal status",
            accessor="get_legal_status_display",
            sort_key="legal_status",
        ),
        PriceRangeColumn("price_range", label="Price range", sort_key="lowest_price"),
        date_column("next_review_due", "Next review due", empty="Not set"),
        ParentPageColumn("parent", label="Products index"),
        PageStatusColumn("status", label="Status", sort_key="live"),
    ]
