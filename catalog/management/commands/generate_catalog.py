import time

from django.core.management.base import BaseCommand, CommandError

from catalog.generator import generate_products, generate_reviews

from .analyze_database import analyze_database


class Command(BaseCommand):
    help = (
        "Add many synthetic live product pages and reviews for scale benchmarks. "
        "Not for a real pharmacy's database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=1000)
        parser.add_argument("--reviews", type=int, default=0)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, products, reviews, seed, **options):
        if products < 0 or reviews < 0:
            raise CommandError("--products and --reviews cannot be negative.")
        started = time.monotonic()
        try:
            made = generate_products(products, seed=seed, stream=self.stderr)
            reviewed = generate_reviews(reviews, seed=seed, stream=self.stderr)
        except ValueError as error:
            raise CommandError(str(error)) from error
        analyze_database()  # many new rows: fresh statistics for SQLite's planner
        self.stdout.write(
            f"Created {made} product pages and {reviewed} reviews "
            f"in {time.monotonic() - started:.1f} s."
        )
