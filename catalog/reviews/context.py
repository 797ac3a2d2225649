"""What the product page's templates need to show reviews and the review form."""

from django.utils.functional import SimpleLazyObject

from .forms import ReviewForm
from .models import ReviewPage, approved_reviews_page, parse_page_number


def reviews_context(product, request):
    """The requested page of approved reviews with the product's count and average: one
    query for the totals and one for the page, made only if the template needs them."""
    requested = parse_page_number(request.GET.get("reviews"))
    if product.pk is None:  # previewing a page that is not saved yet: no reviews, no query
        page = ReviewPage([], 1, 0, None)
    else:
        page = SimpleLazyObject(lambda: approved_reviews_page(product, requested))
    # Page 1 is page 1 whatever the reviews; a later one may be past the end (shown as
    # the last page), which only the query can tell.
    number = 1 if requested == 1 else page.number
    action = (product.get_url(request) or "") + product.reverse_subpage("add_review")
    if number > 1:
        action += f"?reviews={number}"
    return {
        "reviews": page,
        "reviews_page_number": number,
        "review_form": ReviewForm(),  # its one-use token comes from /visitor/
        "review_form_action": action,
    }
