"""The review form on a product page: the view layer's part of the reviews section."""

from django import template

from catalog.reviews.forms import ReviewForm

register = template.Library()


@register.simple_tag(takes_context=True)
def review_form(context):
    """The bound form the review view re-shows with its errors, or a fresh one."""
    return context.get("review_form") or ReviewForm()  # its one-use token comes from /visitor/


@register.simple_tag(takes_context=True)
def review_form_action(context):
    """The form's route on this product, keeping the reviews page the visitor was on."""
    page, request = context["page"], context.get("request")
    action = (page.get_url(request) or "") + page.reverse_subpage("add_review")
    number = context.get("reviews_page_number", 1)
    if number > 1:
        action = f"{action}?reviews={number}"
    # The response (the form again, with its errors) opens at the form, not at the page's top.
    return f"{action}#review-form"
