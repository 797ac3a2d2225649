"""The Review snippet: what a visitor wrote about a product, and its moderation state."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

REVIEWS_PER_PAGE = 10

# Sent after moderate() changed reviews in bulk (an UPDATE sends no post_save), with
# `product_ids`: the page cache drops those products' pages.
reviews_moderated = Signal()


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SPAM = "spam", "Spam"


class ReviewQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReviewStatus.APPROVED)

    def pending(self):
        return self.filter(status=ReviewStatus.PENDING)

    def moderate(self, status, user):
        """Set the status of every review in the set; never deletes a row."""
        product_ids = set(self.values_list("product_id", flat=True))
        count = self.update(status=status, moderated_at=timezone.now(), moderated_by=user)
        reviews_moderated.send(sender=Review, product_ids=product_ids - {None})
        return count


class Review(models.Model):
    # SET_NULL (with the title kept) rather than CASCADE: deleting a product page in the
    # admin must never silently destroy what customers wrote, nor be blocked by it.
    product = models.ForeignKey(
        "catalog.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    product_title = models.CharField(
        max_length=255, help_text="The product's title when the review was written."
    )
    author_name = models.CharField("name", max_length=100)
    email = models.EmailField(max_length=254, help_text="Never shown on the site.")
    rating = models.PositiveSmallIntegerField(
        choices=[(n, str(n)) for n in range(1, 6)],
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField("review", max_length=5000)
    status = models.CharField(
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        help_text="Only approved reviews are shown on the product page.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For spotting spam waves without keeping personal data: a keyed hash of the IP.
    ip_hash = models.CharField("client IP (hashed)", max_length=64, blank=True, editable=False)
    user_agent = models.CharField(max_length=255, blank=True, editable=False)
    # The one-use form token the review was sent with (services.py): a second review
    # with the same token cannot be stored with it, and is filed as spam.
    form_token = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    # Set for reviews brought over from a WooCommerce shop: a re-import updates them.
    woocommerce_id = models.PositiveBigIntegerField(
        "WooCommerce ID", null=True, blank=True, unique=True, editable=False
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "review"
        indexes = [
            models.Index(fields=["product", "status", "-created"], name="catalog_review_listing"),
            # The admin's listing, newest first, over every review (100,000 in bench-scale).
            models.Index(fields=["-created", "-id"], name="catalog_review_newest"),
            # A product's approved count and average read from the index alone.
            models.Index(fields=["product", "status", "rating"], name="catalog_review_rating"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="catalog_review_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.author_name} on {self.product_name()} ({self.rating}/5)"

    def save(self, *args, **kwargs):
        if self.product_id and not self.product_title:
            self.product_title = self.product.title
        super().save(*args, **kwargs)

    def product_name(self):
        return self.product.title if self.product_id else f"{self.product_title} (deleted)"

    product_name.short_description = "product"
    product_name.admin_order_field = "product_title"


class ReviewPage:
    """One page of a product's approved reviews, with the product's count and average."""

    def __init__(self, reviews, number, count, average):
        self.reviews = reviews
        self.number = number
        self.count = count
        self.average = round(average, 1) if average is not None else None
        self.num_pages = max(1, -(-count // REVIEWS_PER_PAGE))

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def has_other_pages(self):
        return self.num_pages > 1


def parse_page_number(value):
    """?reviews=N as a page number: anything unusable is page 1, never an error."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 1_000_000))


def approved_reviews_page(product, number):
    """The requested page of a product's approved reviews, newest first, and the
    product's count and average: two queries, each served by an index (the totals
    from catalog_review_rating alone), so 10,000 reviews cost what 50 do."""
    approved = Review.objects.filter(product=product).approved()
    totals = approved.aggregate(count=Count("pk"), average=Avg("rating"))
    count = totals["count"]
    number = max(1, min(number, -(-count // REVIEWS_PER_PAGE)))  # past the end: the last page
    start = (number - 1) * REVIEWS_PER_PAGE
    reviews = list(
        approved.only("author_name", "rating", "text", "created").order_by(
            "-created", "-pk"
        )[  # never the email or IP hash
            start : start + REVIEWS_PER_PAGE
        ]
    )
    return ReviewPage(reviews, number, count, totals["average"])


def displayed_reviews(product, requested):
    """(the page of approved reviews the product page shows for ?reviews=`requested`, its
    number): one query, made only if the template needs it."""
    requested = parse_page_number(requested)
    if product.pk is None:  # previewing a page that is not saved yet: no reviews, no query
        return ReviewPage([], 1, 0, None), 1
    page = SimpleLazyObject(lambda: approved_reviews_page(product, requested))
    # Page 1 is page 1 whatever the reviews; a later one may be past the end (shown as
    # the last page), which only the query can tell.
    return page, 1 if requested == 1 else page.number
