"""WooCommerce product reviews (the REST API's fields, as CSV) -> Review snippets.

Matched to products by the WooCommerce product ID the product import stored.
WooCommerce's statuses map to the moderation states: approved -> approved,
hold -> pending, spam -> spam, trash -> rejected. A review a moderator has
already moderated here keeps the status the moderator gave it on re-import.
Nothing is guessed: a row naming an unknown product, a rating outside 1-5 or
an address that is not an email address is reported, not imported.
The `verified` (verified owner) column is read past: a Review has no such field.
"""

from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import ProductPage, Review
from catalog.reviews.models import ReviewStatus

from .errors import RowError
from .product_rows import MAX_ID, Outcome

REQUIRED_COLUMNS = [
    "id",
    "product_id",
    "date_created",
    "status",
    "reviewer",
    "reviewer_email",
    "review",
    "rating",
]
STATUSES = {
    "approved": ReviewStatus.APPROVED,
    "hold": ReviewStatus.PENDING,
    "pending": ReviewStatus.PENDING,
    "spam": ReviewStatus.SPAM,
    "trash": ReviewStatus.REJECTED,
}
NAME_MAX = Review._meta.get_field("author_name").max_length
TEXT_MAX = Review._meta.get_field("text").max_length


@dataclass
class ReviewData:
    row: int
    woocommerce_id: int
    product_id: int
    created: object
    status: str
    author_name: str
    email: str
    text: str
    rating: int


def _positive_id(row, column):
    value = row.get(column)
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise RowError(f"'{column}' is not a WooCommerce ID: {value!r}.")
    return int(value)


def review_text(html):
    """WooCommerce stores reviews as HTML paragraphs; Formulary as plain text."""
    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(["script", "style"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li"]):
        block.insert_after("\n\n")
    paragraphs = [" ".join(p.split()) for p in soup.get_text().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def parse_review(row):
    woocommerce_id = _positive_id(row, "id")
    product_id = _positive_id(row, "product_id")

    rating_text = row.get("rating")
    if not rating_text.isdigit() or not 1 <= int(rating_text) <= 5:
        raise RowError(f"the rating must be a whole number from 1 to 5, not {rating_text!r}.")

    email = row.get("reviewer_email")
    try:
        validate_email(email)
    except ValidationError as e:
        raise RowError(f"{email!r} is not an email address.") from e

    status = STATUSES.get(row.get("status").lower())
    if status is None:
        raise RowError(
            f"the status must be approved, hold, spam or trash, not {row.get('status')!r}."
        )

    created = parse_datetime(row.get("date_created"))
    if created is None:
        raise RowError(f"'date_created' is not a date and time: {row.get('date_created')!r}.")
    if timezone.is_naive(created):
        # WooCommerce's date_created is in the shop's time zone (date_created_gmt is UTC).
        created = timezone.make_aware(created)

    author_name = " ".join(row.get("reviewer").split())
    if not author_name:
        raise RowError("it has no reviewer name.")
    if len(author_name) > NAME_MAX:
        raise RowError(f"the reviewer name is longer than {NAME_MAX} characters.")
    text = review_text(row.get("review"))
    if not text:
        raise RowError("the review has no text.")
    if len(text) > TEXT_MAX:
        raise RowError(f"the review is longer than {TEXT_MAX} characters.")

    return ReviewData(
        row=row.number,
        woocommerce_id=woocommerce_id,
        product_id=product_id,
        created=created,
        status=status,
        author_name=author_name,
        email=email,
        text=text,
        rating=int(rating_text),
    )


class ReviewImporter:
    """Creates or updates Review snippets, one transaction per review."""

    def __init__(self, reviews):
        product_ids = {r.product_id for r in reviews}
        self.products = {
            p.woocommerce_id: p
            for p in ProductPage.objects.filter(woocommerce_id__in=product_ids).only(
                "pk", "title", "woocommerce_id"
            )
        }
        self.existing = {
            r.woocommerce_id: r
            for r in Review.objects.filter(woocommerce_id__in=[r.woocommerce_id for r in reviews])
        }

    def import_review(self, data):
        product = self.products.get(data.product_id)
        if product is None:
            return Outcome(
                data.row,
                "failed",
                message=f"product {data.product_id} is not a product imported from WooCommerce.",
            )
        review = self.existing.get(data.woocommerce_id) or Review(
            woocommerce_id=data.woocommerce_id
        )
        created = review.pk is None
        values = {
            "product_id": product.pk,
            "product_title": product.title,
            "author_name": data.author_name,
            "email": data.email,
            "text": data.text,
            "rating": data.rating,
            "created": data.created,
        }
        if created or review.moderated_at is None:
            values["status"] = data.status
        if not created and all(getattr(review, k) == v for k, v in values.items()):
            return Outcome(data.row, "unchanged")
        for name, value in values.items():
            setattr(review, name, value)
        try:
            review.full_clean(exclude=["product"])
            with transaction.atomic():
                review.save()
        except ValidationError as e:
            return Outcome(data.row, "failed", message=" ".join(e.messages))
        except DatabaseError as e:
            return Outcome(data.row, "failed", message=str(e))
        self.existing[data.woocommerce_id] = review
        return Outcome(data.row, "created" if created else "updated")


def parse_reviews(rows):
    """(reviews, outcomes of rows that failed while reading)."""
    reviews, outcomes, seen = [], [], {}
    for row in rows:
        try:
            data = parse_review(row)
            if data.woocommerce_id in seen:
                raise RowError(
                    f"review {data.woocommerce_id} appears again (first on row {seen[data.woocommerce_id]})."
                )
        except RowError as e:
            outcomes.append(Outcome(row.number, "failed", message=str(e)))
            continue
        seen[data.woocommerce_id] = row.number
        reviews.append(data)
    return reviews, outcomes
