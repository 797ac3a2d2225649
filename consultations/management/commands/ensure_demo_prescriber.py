import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from consultations.models import Prescriber, RegistrationBody

USERNAME = "prescriber"


class Command(BaseCommand):
    help = (
        "Create the demo 'prescriber' user (in the Prescribers group, with a demo profile) "
        "when none exists and print its login once. DEMO_PRESCRIBER_PASSWORD sets the password."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            return
        password = os.environ.get("DEMO_PRESCRIBER_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            USERNAME, "prescriber@pharmacy.invalid", password, first_name="Demo prescriber"
        )
        user.groups.add(Group.objects.get(name="Prescribers"))
        Prescriber.objects.create(
            user=user,
            name="Demo Prescriber (not a real registration)",
            registration_body=RegistrationBody.GPHC,
            registration_number="DEMO",
        )
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(self.style.SUCCESS("Created the demo prescriber (shown only once):"))
        self.stdout.write(f"  URL:      {admin_url}")
        self.stdout.write(f"  Username: {USERNAME}")
        self.stdout.write(f"  Password: {password}")
