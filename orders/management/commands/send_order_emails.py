from django.core.management.base import BaseCommand

from orders.emails import send_unsent


class Command(BaseCommand):
    help = (
        "Send the customers' order emails that could not be sent when their change was made "
        "(the mail server was down). Safe to run often, e.g. from cron every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=0,
            help="Skip emails already tried this many times (0: try every unsent email).",
        )

    def handle(self, *args, max_attempts, **options):
        sent, failed = send_unsent(max_attempts=max_attempts or None)
        self.stdout.write(f"Sent {sent} order email{'s' if sent != 1 else ''}; {failed} failed.")
        if failed:
            self.stderr.write("Some emails failed again: see the log, and run this again later.")
