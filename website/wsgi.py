import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")

application = get_wsgi_application()


def warm_up():
    """Do once, before gunicorn forks its workers (preload_app), what each worker's
    first request would: import every URL's views and compile the site's templates.

    A new worker (and every one that replaces a recycled worker) then answers its
    first request in tens of milliseconds instead of about 150.
    """
    from pathlib import Path

    from django.conf import settings
    from django.db import connections
    from django.forms.renderers import get_default_renderer
    from django.template import loader
    from django.urls import reverse

    reverse("wagtail_serve", args=[""])  # loads and indexes the whole URL configuration
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(directory).rglob("*.html"):
            loader.get_template(str(template.relative_to(directory)))
    renderer = get_default_renderer()
    for widget in ("input", "text", "email", "hidden", "textarea", "number", "attrs"):
        renderer.get_template(f"django/forms/widgets/{widget}.html")
    connections.close_all()  # nothing opened here may be shared with the forked workers
