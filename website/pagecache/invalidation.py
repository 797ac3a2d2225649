"""The one invalidation rule: any content change drops every cached page, after commit.

"Content" is whatever a public page can show: pages and the rows stored with them
(pack sizes, featured products: anything with a ParentalKey to a page), snippets
(categories, reviews...), settings, images, documents, sites, view restrictions.
No list of which page shows what: when the transaction commits, the page cache
gets a new generation (generation.py) and every front-end cache (Varnish, a CDN:
WAGTAILFRONTENDCACHE) is asked to ban every page of every site.

Two new rows show nothing and drop nothing: a visitor's review awaiting moderation
(else anyone could empty the cache with spam), and a settings row Wagtail creates
with its defaults on the first page view.
"""

import logging
import threading
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelcluster.fields import ParentalKey
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import generation

logger = logging.getLogger(__name__)

_CONTENT_BASES = (
    Page,
    BaseGenericSetting,
    BaseSiteSetting,
    AbstractImage,
    AbstractDocument,
    Site,
    PageViewRestriction,
)
_this_thread = threading.local()


@cache
def is_content(model):
    if issubclass(model, _CONTENT_BASES) or model in get_snippet_models():
        return True
    return any(
        isinstance(field, ParentalKey) and issubclass(field.related_model, Page)
        for field in model._meta.get_fields()
    )


def content_changed(**kwargs):
    """Drop every cached page once the current transaction commits (at once without one)."""
    seen = generation.current()
    transaction.on_commit(lambda: _drop_everything(seen))


def _drop_everything(seen):
    # One drop per commit, however many rows it saved: a later callback of the same
    # commit finds the generation this thread set after `seen` and has nothing to do.
    current = generation.current()
    if seen is not None and current != seen and current == getattr(_this_thread, "set", None):
        return
    _this_thread.set = generation.bump()
    ban_front_end_caches()


def ban_front_end_caches():
    """Ask every configured front-end cache to forget every page of every site (the
    VCL bans a whole host on any PURGE: deploy/varnish/formulary.vcl)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = [site.root_url + "/" for site in Site.objects.all()]
    try:
        purge_urls_from_cache(urls)
    except Exception:  # the pages are saved: a proxy outage must not make it an error
        logger.warning("Could not purge the front-end cache", exc_info=True)


def on_save_or_delete(sender, instance, raw=False, created=False, **kwargs):
    if raw or not is_content(sender):
        return
    if created and (_is_unmoderated_review(instance) or _is_settings(instance)):
        return
    content_changed()


def _is_settings(instance):
    return isinstance(instance, BaseGenericSetting | BaseSiteSetting)


def _is_unmoderated_review(instance):
    from catalog.reviews.models import Review, ReviewStatus

    return isinstance(instance, Review) and instance.status != ReviewStatus.APPROVED


def connect():
    from catalog.reviews.models import reviews_moderated

    post_save.connect(on_save_or_delete, dispatch_uid="pagecache-saved")
    post_delete.connect(on_save_or_delete, dispatch_uid="pagecache-deleted")
    # Changes made by UPDATE (no post_save): bulk unpublish, moves, bulk moderation.
    for signal in (page_unpublished, post_page_move, reviews_moderated):
        signal.connect(content_changed, dispatch_uid=f"pagecache-{id(signal)}")
