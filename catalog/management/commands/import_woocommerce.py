from django.core.management.base import BaseCommand, CommandError

from catalog.woocommerce.errors import ImportAborted
from catalog.woocommerce.importer import run_import

from .analyze_database import analyze_database


class Command(BaseCommand):
    help = (
        "Import products (and optionally their reviews) from WooCommerce CSV exports. Safe to "
        "run again: products are matched by WooCommerce ID, then SKU; reviews by ID. Products "
        "are saved as drafts unless --publish --reviewed-by 'Name, credentials'."
    )

    def add_arguments(self, parser):
        parser.add_argument("products", help="WooCommerce product CSV export (UTF-8)")
        parser.add_argument(
            "--reviews",
            metavar="REVIEWS.csv",
            help="product reviews as CSV with WooCommerce's REST API fields (id, product_id, "
            "date_created, status, reviewer, reviewer_email, review, rating, verified)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publish products that are published in WooCommerce, signed off by "
            "--reviewed-by (default: save drafts for medical sign-off in the admin)",
        )
        parser.add_argument(
            "--reviewed-by",
            metavar='"NAME, CREDENTIALS"',
            help="with --publish (required): the medical reviewer who checked the products, "
            'e.g. "A. Patel, MPharm"; recorded on each page published and in its history',
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the files and report what would happen, saving nothing",
        )

    def handle(self, *args, **options):
        if options["reviewed_by"] and not options["publish"]:
            raise CommandError("--reviewed-by signs off what --publish publishes: add --publish.")
        try:
            reports = run_import(
                options["products"],
                options["reviews"],
                publish=options["publish"],
                reviewed_by=options["reviewed_by"],
                dry_run=options["dry_run"],
                progress=self.stderr,
            )
        except ImportAborted as e:
            raise CommandError(str(e)) from e

        for report in reports:
            for line, is_problem in report.reasons():
                (self.stderr if is_problem else self.stdout).write(line)
        for report in reports:
            self.stdout.write(report.summary())
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved (every change was rolled back).")
        else:
            analyze_database()  # many new rows: fresh statistics for SQLite's planner
        failed = sum(len(report.failed) for report in reports)
        if failed:
            raise CommandError(
                f"{failed} row{'s' if failed != 1 else ''} failed: see the reasons above."
            )
