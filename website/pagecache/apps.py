from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "website.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import invalidation

        invalidation.connect()
