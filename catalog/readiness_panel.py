"""The page editor's "Ready for medical sign-off?" panel: each readiness check, passed or
failed, with a link to where the editor fixes it (checks: catalog/readiness.py)."""

from wagtail.admin.panels import Panel


class ReadinessPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "catalog/admin/readiness_panel.html"

        def results(self):
            # After a submission the form holds the checks of what was typed; otherwise the
            # checks look at the page as it was last saved.
            results = getattr(self.form, "readiness_results", None)
            if results is None:
                from .readiness import Draft, run_checks

                results = run_checks(Draft.of(self.instance))
            return results

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["results"] = self.results()
            context["all_passed"] = all(result.passed for result in context["results"])
            return context
