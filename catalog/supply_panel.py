"""The product editor's "What visitors can do with this product" panel: the supply rules
(catalog/supply.py) applied to this product under the current Pharmacy settings."""

from wagtail.admin.panels import Panel


class SupplyPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog/admin/supply_panel.html"

        def get_context_data(self, parent_context=None):
            from .supply import SupplyRules

            context = super().get_context_data(parent_context)
            context["description"] = SupplyRules.for_request(self.request).describe(self.instance)
            return context
