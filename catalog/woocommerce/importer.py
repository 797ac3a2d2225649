"""Running an import: the products index, the dry run, the report."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from catalog.models import ProductIndexPage

from .csvfile import read_rows
from .errors import ImportAborted
from .products import ProductImporter, parse_products
from .progress import ProgressBar

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


def import_products(path, *, publish=False, dry_run=False, progress_stream=None):
    """Import a WooCommerce product CSV; return the ImportReport.

    Each product is saved in its own transaction (a savepoint inside the dry
    run's outer transaction), so a failure never leaves half a page behind.
    """
    rows = read_rows(path, required=["Name"], one_of=["ID", "SKU"])
    products, outcomes = parse_products(rows)
    report = ImportReport("Products", outcomes)
    try:
        with transaction.atomic():
            index = product_index()
            importer = ProductImporter(index, publish=publish)
            importer.prefetch(products)
            with ProgressBar(progress_stream, len(products), "products") as bar:
                for product in products:
                    report.outcomes.append(importer.import_product(product))
                    bar.advance()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    report.outcomes.sort(key=lambda o: o.row)
    return report
