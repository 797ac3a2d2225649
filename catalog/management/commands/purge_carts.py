from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from catalog.cart.models import Cart


class Command(BaseCommand):
    help = "Delete carts nobody has changed for a while (their sessions have long expired)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Keep carts changed in the last DAYS days."
        )

    def handle(self, *args, days, **options):
        if days < 1:
            self.stderr.write("--days must be at least 1.")
            return
        cutoff = timezone.now() - timedelta(days=days)
        deleted, by_model = Cart.objects.filter(updated_at__lt=cutoff).delete()
        carts = by_model.get("catalog.Cart", 0)
        self.stdout.write(
            f"Deleted {carts} cart{'s' if carts != 1 else ''} unchanged for {days} days."
        )
