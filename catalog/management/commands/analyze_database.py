"""`manage.py analyze_database`: table statistics for SQLite's query planner.

Without statistics SQLite joins Wagtail's search index the slow way round: a site search over
10,000 products took about 300 ms (bench/scale.py), and under 1 ms once ANALYZE had run.
SQLite gathers them only when told; PostgreSQL's autovacuum does it by itself, so there this
does nothing. `make release`, `generate_catalog` and `import_woocommerce` run it.
"""

from django.core.management.base import BaseCommand
from django.db import connection


def analyze_database():
    """ANALYZE on SQLite; True if it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


class Command(BaseCommand):
    help = "Gather table statistics for SQLite's query planner (nothing to do on PostgreSQL)."

    def handle(self, *args, **options):
        if analyze_database():
            self.stdout.write("SQLite statistics gathered.")
        else:
            self.stdout.write("Nothing to do: the database gathers its own statistics.")
