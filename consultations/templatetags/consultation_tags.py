from django import template

register = template.Library()


@register.simple_tag
def described(field, help_id, error_id):
    """The field's input, pointing at its help text and error (aria-describedby)."""
    ids = [help_id] if field.help_text else []
    attrs = {}
    if field.errors:
        ids.append(error_id)
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
