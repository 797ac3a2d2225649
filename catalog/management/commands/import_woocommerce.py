from django.core.management.base import BaseCommand, CommandError

from catalog.woocommerce.errors import ImportAborted
from catalog.woocommerce.importer import import_products


class Command(BaseCommand):
    help = (
        "Import products from a WooCommerce product CSV export. Safe to run again: pages are "
        "matched by WooCommerce ID, then SKU. Products are saved as drafts unless --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("products", help="WooCommerce product CSV export (UTF-8)")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish products that are published in WooCommerce (default: save drafts "
            "for medical sign-off).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen, saving nothing.",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        try:
            report = import_products(
                options["products"],
                publish=options["publish"],
                dry_run=dry_run,
                progress_stream=self.stderr,
            )
        except ImportAborted as e:
            raise CommandError(str(e)) from e

        for outcome in report.outcomes:
            name = f" ({outcome.title})" if outcome.title else ""
            if outcome.status in {"failed", "skipped"}:
                self.stderr.write(f"Row {outcome.row}{name}: {outcome.status}: {outcome.message}")
            for note in outcome.notes:
                self.stdout.write(f"Row {outcome.row}{name}: {note}")
        self.stdout.write(report.summary())
        if dry_run:
            self.stdout.write("Dry run: nothing was saved (every change was rolled back).")
        failed = len(report.failed)
        if failed:
            raise CommandError(
                f"{failed} row{'s' if failed != 1 else ''} failed: see the reasons above."
            )
