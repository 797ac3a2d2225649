"""What drops cached pages: Wagtail's page signals and saves of what pages show
(pack sizes, reviews, settings, categories, sites).

A page is dropped together with its ancestors (its products index and the home
page list it). Each drop happens at once *and* again when the transaction
commits: a visitor rendering the old content in between cannot leave a stale
entry behind. When a CDN is configured (WAGTAILFRONTENDCACHE), the same pages'
URLs are purged from it after the commit.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import store


def _frontend_cache_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _ancestor_ids(page):
    steplen = Page.steplen
    paths = [page.path[: steplen * depth] for depth in range(2, page.depth)]
    return list(Page.objects.filter(path__in=paths).values_list("pk", flat=True)) if paths else []


class _AfterCommit:
    """What one transaction dropped, dropped again and purged once when it commits
    (a product publish saves the page and each of its pack sizes)."""

    def __init__(self):
        self.page_ids = set()
        self.urls = set()
        self.everything = False

    def run(self):
        if self.everything:
            store.drop_all()
        store.drop_pages(self.page_ids)
        if not _frontend_cache_configured():
            return
        batch = PurgeBatch(self.urls)
        if self.everything:
            batch.add_pages(Page.objects.live().filter(depth__gt=1))
        else:
            batch.add_pages(Page.objects.filter(pk__in=self.page_ids).live())
        batch.purge()


def _after_commit():
    """The pending batch of the current transaction, scheduled once per transaction."""
    connection = transaction.get_connection()
    batch = getattr(connection, "_pagecache_after_commit", None)
    savepoints = tuple(connection.savepoint_ids)
    scheduled = (
        batch is not None
        and batch.savepoints == savepoints
        and any(callback == batch.run for _, callback, _ in connection.run_on_commit)
    )
    if not scheduled:
        batch = _AfterCommit()
        batch.savepoints = savepoints
        connection._pagecache_after_commit = batch
        if connection.in_atomic_block:
            transaction.on_commit(batch.run)
    return batch, connection.in_atomic_block


def drop_pages(page_ids, extra_urls=()):
    """Drop these pages now and after commit; purge them from the CDN after commit."""
    store.drop_pages(page_ids)
    batch, deferred = _after_commit()
    batch.page_ids.update(page_ids)
    batch.urls.update(extra_urls)
    if not deferred:
        batch.run()


def drop_with_listings(page, extra_urls=()):
    drop_pages([page.pk, *_ancestor_ids(page)], extra_urls)


def drop_everything():
    """A site-wide change (settings, categories, sites): every page is stale."""
    store.drop_all()
    batch, deferred = _after_commit()
    batch.everything = True
    if not deferred:
        batch.run()


# Receivers -----------------------------------------------------------------


def on_publish_or_unpublish(sender, instance, **kwargs):
    drop_with_listings(instance)


def on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    _drop_new_urls(
        instance,
        kwargs.get("url_path_before"),
        kwargs.get("url_path_after"),
        [parent_page_before.pk, *_ancestor_ids(parent_page_before)]
        + [parent_page_after.pk, *_ancestor_ids(parent_page_after)],
    )


def on_slug_changed(sender, instance, instance_before, **kwargs):
    """A page published with a new slug: its URL and every URL below it changed (sent
    by Wagtail after the commit)."""
    _drop_new_urls(instance, instance_before.url_path, instance.url_path, _ancestor_ids(instance))


def _drop_new_urls(page, url_path_before, url_path_after, listing_ids):
    moved = list(Page.objects.descendant_of(page, inclusive=True))
    old_urls = _old_urls(moved, url_path_before, url_path_after)
    drop_pages([p.pk for p in moved] + listing_ids, extra_urls=old_urls)


def _old_urls(pages, url_path_before, url_path_after):
    """The URLs the moved pages had, so a CDN forgets them too."""
    if not (_frontend_cache_configured() and url_path_before and url_path_after):
        return []
    urls = []
    for _site_id, root_path, root_url, _language in Site.get_site_root_paths():
        for page in pages:
            old_path = url_path_before + page.url_path[len(url_path_after) :]
            if old_path.startswith(root_path):
                urls.append(root_url + "/" + old_path[len(root_path) :])
    return urls


def on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.pk and instance.path:
        drop_with_listings(instance)


def on_page_part_saved(sender, instance, raw=False, **kwargs):
    """A pack size (or another part stored outside the page row) changed."""
    if raw or instance.page_id is None:
        return
    try:
        page = instance.page
    except Page.DoesNotExist:  # deleted together with its page
        store.drop_pages([instance.page_id])
    else:
        drop_with_listings(page)


def on_review_changed(sender, instance, raw=False, created=False, **kwargs):
    """A review saved or deleted one by one (the admin's edit view, a shell). A new
    review awaiting moderation (every visitor's submission) shows nothing: no drop."""
    from catalog.reviews.models import ReviewStatus

    if raw or not instance.product_id:
        return
    if created and instance.status != ReviewStatus.APPROVED:
        return
    drop_products([instance.product_id])


def on_reviews_moderated(sender, product_ids, **kwargs):
    """Reviews approved, rejected or marked as spam in bulk."""
    drop_products(product_ids)


def drop_products(product_ids):
    # Their index and the home page show no ratings: only the product pages change.
    drop_pages(product_ids)


def on_site_wide_change(sender, raw=False, created=False, **kwargs):
    # A new settings row, category or image shows nothing new until it is edited or used
    # (settings are created with their defaults on the first page view).
    if raw or (created and sender is not Site):
        return
    drop_everything()


def on_view_restriction_changed(sender, raw=False, **kwargs):
    """A page made private (or public again): it and every page below it change, and
    so does whether any page is private (lookups.py). Rare: everything goes."""
    if not raw:
        drop_everything()


def connect():
    from catalog.models import PackSize, ProductCategory
    from catalog.reviews.models import Review, reviews_moderated
    from home.models import PharmacySettings

    page_published.connect(on_publish_or_unpublish, dispatch_uid="pagecache-published")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(on_move, dispatch_uid="pagecache-moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="pagecache-slug-changed")
    pre_delete.connect(on_delete, dispatch_uid="pagecache-deleted")
    for model in (PackSize,):
        post_save.connect(on_page_part_saved, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(on_page_part_saved, sender=model, dispatch_uid=f"pagecache-d-{model}")
    post_save.connect(on_review_changed, sender=Review, dispatch_uid="pagecache-review")
    post_delete.connect(on_review_changed, sender=Review, dispatch_uid="pagecache-d-review")
    reviews_moderated.connect(on_reviews_moderated, dispatch_uid="pagecache-moderated")
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"pagecache-restriction-{signal is post_save}",
        )
    # An image edited (a new file, focal point) gets new renditions: pages show their URLs.
    for model in (PharmacySettings, ProductCategory, Site, get_image_model()):
        post_save.connect(on_site_wide_change, sender=model, dispatch_uid=f"pagecache-{model}")
        post_delete.connect(on_site_wide_change, sender=model, dispatch_uid=f"pagecache-d-{model}")
