from django.core.management.base import BaseCommand

from catalog.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo pages (Home, Products, Baclofen 40 mg). Safe to run again."

    def handle(self, *args, **options):
        created = load_demo()
        if created:
            for page in created:
                self.stdout.write(f"Created {page.title} at {page.url_path}")
        else:
            self.stdout.write("Demo content already present: nothing changed.")
