"""Checks on the read API's query parameters that Wagtail leaves to the database.

Wagtail answers most bad input with a 400, but passes some straight to the query,
where it fails as a 500: an offset beyond any integer, an unknown search operator,
a filter value the column cannot hold (?first_published_at=abc). Each becomes a
BadRequestError here (Wagtail's own: a 400 with {"message": ...}).
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from wagtail.api.v2.utils import BadRequestError

MAX_ID = 2**31 - 1  # the largest id every database's integer column holds
MAX_OFFSET = 1_000_000  # far beyond any catalogue; an integer every database holds
SEARCH_OPERATORS = {"and", "or"}
# Filter values Wagtail converts itself (with a 400 on bad input).
CONVERTED_BY_WAGTAIL = (models.BooleanField, models.ForeignKey)


def check_offset(params):
    value = params.get("offset")
    if value is not None and value.isdigit() and int(value) > MAX_OFFSET:
        raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")


def check_search_operator(params):
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        raise BadRequestError("search_operator must be 'and' or 'or'")


def check_no_nul(params):
    """A NUL character is never meaningful input, and SQLite's full-text search fails on it."""
    for name, value in params.items():
        if "\x00" in value:
            raise BadRequestError(f"{name} cannot contain a NUL character")


def as_page_id(value):
    """`value` as a page id the database can hold, or None (not found)."""
    if not str(value).isdigit() or int(value) > MAX_ID:
        return None
    return int(value)


def check_filter_value(field, value):
    """The value as the column would take it: its type, and for integers their range."""
    if field.is_relation and (field.many_to_many or field.one_to_many):
        raise BadRequestError(f"cannot filter by {field.name}")
    if isinstance(field, CONVERTED_BY_WAGTAIL) or not isinstance(field, models.Field):
        return
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError, OverflowError) as error:
        raise BadRequestError(f"{value[:50]!r} is not a valid value for {field.name}") from error


def check_field_filters(model, names, params):
    """Each ?<field>=<value> filter among `names` (the endpoint's database fields)."""
    for name in names:
        if name not in params:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        check_filter_value(field, params[name])


def check_query_parameters(view, queryset):
    params = view.request.GET
    check_no_nul(params)
    check_offset(params)
    check_search_operator(params)
    check_field_filters(
        queryset.model, view.get_available_fields(queryset.model, db_fields_only=True), params
    )
