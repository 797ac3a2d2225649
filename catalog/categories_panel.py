"""The product editor's Categories: ticks in columns, or, while there are none, a link to add one
(an empty bordered box told the editor nothing)."""

from django import forms
from django.urls import reverse
from wagtail.admin.panels import FieldPanel


class CategoriesPanel(FieldPanel):
    def __init__(self, field_name, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(field_name, *args, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "catalog/admin/categories_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            queryset = self.bound_field.field.queryset if self.bound_field else None
            context["no_categories"] = queryset is not None and not queryset.exists()
            context["add_url"] = reverse("wagtailsnippets_catalog_productcategory:add")
            return context
