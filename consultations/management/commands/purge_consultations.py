from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from consultations.drafts import max_age
from consultations.models import Consultation, ConsultationDraft, Decision, PharmacyAnswers


class Command(BaseCommand):
    help = (
        "Delete consultations (answers, patient details, decisions) sent more than YEARS "
        "years ago (and pharmacy-medicine answers), as the pharmacy's retention policy says; "
        "and consultations in progress "
        "that nobody finished."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="YEARS",
            help="Keep consultations sent in the last YEARS years (your retention policy).",
        )

    @transaction.atomic
    def handle(self, *args, older_than, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 (years).")
        now = timezone.now()
        try:
            cutoff = now.replace(year=now.year - older_than)
        except ValueError:  # 29 February
            cutoff = now.replace(year=now.year - older_than, day=28)
        old = Consultation.objects.filter(created_at__lt=cutoff)
        # Decisions are protected from any other deletion: only this purge removes them.
        Decision.objects.filter(consultation__in=old).delete()
        _, by_model = old.delete()
        count = by_model.get("consultations.Consultation", 0)
        PharmacyAnswers.objects.filter(created_at__lt=cutoff).delete()
        drafts, _ = ConsultationDraft.objects.filter(updated_at__lt=now - max_age()).delete()
        self.stdout.write(
            f"Deleted {count} consultation{'s' if count != 1 else ''} sent more than "
            f"{older_than} year{'s' if older_than != 1 else ''} ago, and {drafts} unfinished."
        )
