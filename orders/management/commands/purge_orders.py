from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from home.site_settings import PharmacySettings
from orders.models import PURGEABLE, Order
from orders.services import anonymise


def years_ago(years, now=None):
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years) - timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Anonymise completed and cancelled orders last changed more than YEARS years ago: the "
        "customer's details and every message are removed; lines and statuses are kept. "
        "YEARS defaults to, and may not be less than, Pharmacy settings → Orders → "
        "“Order retention years”."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, metavar="YEARS", dest="years")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many orders, change nothing."
        )

    def handle(self, *args, years, dry_run, **options):
        retention = PharmacySettings.load().order_retention_years
        if retention is None:
            raise CommandError(
                "Set the retention period first: Pharmacy settings → Orders → "
                "“Order retention years”."
            )
        years = retention if years is None else years
        if years < retention:
            raise CommandError(
                f"--older-than {years} is less than the retention period in Pharmacy settings "
                f"({retention} years): nothing was anonymised."
            )
        cutoff = years_ago(years)
        orders = Order.objects.filter(
            status__in=PURGEABLE, updated_at__lt=cutoff, anonymised_at__isnull=True
        )
        count = orders.count()
        if dry_run:
            self.stdout.write(f"{count} order{'s' if count != 1 else ''} would be anonymised.")
            return
        for order in orders.iterator():
            anonymise(order)
        self.stdout.write(
            f"Anonymised {count} order{'s' if count != 1 else ''} closed more than {years} "
            f"year{'s' if years != 1 else ''} ago."
        )
