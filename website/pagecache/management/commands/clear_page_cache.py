from django.core.management.base import BaseCommand

from website.pagecache import generation, invalidation


class Command(BaseCommand):
    help = "Drop every cached page (a new generation) and ban every page from front-end caches."

    def handle(self, *args, **options):
        generation.bump()
        invalidation.ban_front_end_caches()
        self.stdout.write("Page cache cleared.")
