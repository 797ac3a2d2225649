"""Running an import: the products index, the dry run, the report."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from catalog.models import ProductIndexPage

from .csvfile import read_rows
from .errors import ImportAborted
from .product_pages import ProductImporter, SignOff
from .product_rows import parse_products
from .progress import ProgressBar
from .reviews import REQUIRED_COLUMNS as REVIEW_COLUMNS
from .reviews import ReviewImporter, parse_reviews

STATUSES = ("created", "updated", "unchanged", "skipped", "failed")


@dataclass
class ImportReport:
    """What happened to each row, in row order."""

    label: str
    outcomes: list = field(default_factory=list)

    @property
    def counts(self):
        counts = Counter(o.status for o in self.outcomes)
        return {status: counts.get(status, 0) for status in STATUSES}

    @property
    def failed(self):
        return [o for o in self.outcomes if o.status == "failed"]

    def reasons(self):
        """(line, is_problem) per row worth telling the person importing about."""
        for outcome in self.outcomes:
            name = f" ({outcome.title})" if outcome.title else ""
            where = f"{self.label} row {outcome.row}{name}"
            if outcome.status in {"failed", "skipped"}:
                yield f"{where}: {outcome.status}: {outcome.message}", True
            for note in outcome.notes:
                yield f"{where}: {note}", False

    def summary(self):
        counts = self.counts
        return f"{self.label}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES) + "."


def product_index():
    """Imported products go under the first products index in the page tree."""
    index = ProductIndexPage.objects.order_by("path").first()
    if index is None:
        raise ImportAborted(
            "There is no products index page to put the products under. Create one in the "
            "admin (or run `manage.py load_demo`) and import again."
        )
    return index


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


REVIEWED_BY_MAX = 150  # ProductPage.reviewed_by


def sign_off(reviewed_by):
    """The sign-off for `--publish --reviewed-by "Name, credentials"`; refused if unclear.

    Nothing about a medicine reaches a visitor without a medical reviewer's sign-off, so an
    import publishes only in a named reviewer's name, recorded on each page it publishes.
    """
    reviewed_by = " ".join((reviewed_by or "").split())
    name, _, credentials = reviewed_by.partition(",")
    if not name.strip() or not credentials.strip():
        raise ImportAborted(
            "Publishing needs the medical reviewer who signed the products off: "
            '--reviewed-by "Name, credentials" (e.g. "A. Patel, MPharm"). Without --publish '
            "the products are saved as drafts for sign-off in the admin."
        )
    if len(reviewed_by) > REVIEWED_BY_MAX:
        raise ImportAborted(f"--reviewed-by is longer than {REVIEWED_BY_MAX} characters.")
    return SignOff(reviewed_by, timezone.localdate())


def run_import(
    products_path,
    reviews_path=None,
    *,
    publish=False,
    reviewed_by=None,
    dry_run=False,
    progress=None,
):
    """Import a WooCommerce product CSV (and optionally its reviews); return the reports.

    Both files are read before anything is written, so an unreadable reviews
    file stops the run before any product changes. Each product and each review
    is saved in its own transaction (a savepoint inside the dry run's outer
    transaction), so a failure never leaves half a page behind.
    """
    signed_off = sign_off(reviewed_by) if publish else None
    product_rows = read_rows(products_path, required=["Name"], one_of=["ID", "SKU"])
    review_rows = read_rows(reviews_path, required=REVIEW_COLUMNS) if reviews_path else None
    products, outcomes = parse_products(product_rows)
    reports = [ImportReport("Products", outcomes)]
    try:
        with transaction.atomic():
            importer = ProductImporter(product_index(), sign_off=signed_off)
            importer.prefetch(products)
            with ProgressBar(progress, len(products), "products") as bar:
                for product in products:
                    reports[0].outcomes.append(importer.import_product(product))
                    bar.advance()
            if review_rows is not None:
                reviews, outcomes = parse_reviews(review_rows)
                reports.append(ImportReport("Reviews", outcomes))
                review_importer = ReviewImporter(reviews)
                with ProgressBar(progress, len(reviews), "reviews") as bar:
                    for review in reviews:
                        reports[1].outcomes.append(review_importer.import_review(review))
                        bar.advance()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    for report in reports:
        report.outcomes.sort(key=lambda o: o.row)
    return reports
