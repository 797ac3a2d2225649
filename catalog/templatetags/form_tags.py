"""The error summary every public form shows at its top (templates/includes/error_summary.html)."""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    anchor: str = ""  # the id of the field to link to; blank for errors about the whole form


def field_anchor(bound_field):
    """The id the error links to: the field's own, or its first choice's for a radio group."""
    widget = bound_field.field.widget
    field_id = widget.attrs.get("id") or bound_field.auto_id
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        return f"{field_id}_0"
    return field_id


@register.simple_tag
def form_errors(form):
    """Each error of a bound form, in the order of the fields, with where to link it.

    A field whose messages are the same for every field (a questionnaire's "Choose an
    answer.") sets `summary_names_label`: the summary then says which question it is."""
    if form is None or not form.errors:
        return []
    errors = [FormError(str(message)) for message in form.non_field_errors()]
    for bound_field in form:
        named = getattr(bound_field.field, "summary_names_label", False)
        errors.extend(
            FormError(
                f"{bound_field.label} {message}" if named else str(message),
                field_anchor(bound_field),
            )
            for message in bound_field.errors
        )
    return errors
