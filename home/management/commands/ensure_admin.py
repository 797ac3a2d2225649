import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an 'admin' superuser when none exists and print its login once. "
        "DJANGO_SUPERUSER_PASSWORD sets the password instead of a random one."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            "admin", os.environ.get("DJANGO_SUPERUSER_EMAIL", ""), password
        )
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(self.style.SUCCESS("Created the Wagtail admin user (shown only once):"))
        self.stdout.write(f"  URL:      {admin_url}")
        self.stdout.write("  Username: admin")
        self.stdout.write(f"  Password: {password}")
