"""Columns the admin's product listing and reports share."""

from django.urls import reverse
from django.utils.dateformat import format as format_date
from wagtail.admin.ui.tables import Column, TitleColumn


def title_column(label):
    """The product's title, linking to its edit view.

    A plain title link: Wagtail's own page title column adds per-row action buttons whose
    permission checks cost queries per product for editors."""
    return TitleColumn(
        "title",
        label=label,
        sort_key="title",
        classname="title",
        get_url=lambda page: reverse("wagtailadmin_pages:edit", args=(page.pk,)),
    )


def sku_column():
    return Column("sku", label="SKU", sort_key="sku")


def date_column(name, label, empty=""):
    """A date field as '3 Mar 2027' (`empty` when it is not set)."""
    return Column(
        name,
        label=label,
        sort_key=name,
        accessor=lambda page: (
            format_date(getattr(page, name), "j M Y") if getattr(page, name) else empty
        ),
    )
