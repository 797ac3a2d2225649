"""What the product page's templates need to show reviews and the review form."""

from .forms import ReviewForm
from .models import ReviewPage, approved_reviews_page, parse_page_number
from .services import form_started_token


def reviews_context(product, request):
    """One query: the requested page of approved reviews with the product's count and average."""
    if product.pk is None:  # previewing a page that is not saved yet: no reviews, no query
        page = ReviewPage([], 1, 0, None)
    else:
        page = approved_reviews_page(product, parse_page_number(request.GET.get("reviews")))
    action = (product.get_url(request) or "") + product.reverse_subpage("add_review")
    if page.number > 1:
        action += f"?reviews={page.number}"
    return {
        "reviews": page,
        "review_form": ReviewForm(started=form_started_token()),
        "review_form_action": action,
    }
