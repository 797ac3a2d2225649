from wagtail import hooks

from . import store


@hooks.register("before_serve_page", order=100)
def mark_page_for_the_cache(page, request, serve_args, serve_kwargs):
    """Runs after Wagtail's own checks (view restrictions answer before this and
    are never cached); remembers which page is served and its version now,
    before rendering, so an edit made during the render leaves the entry stale."""
    if not hasattr(request, "_pagecache_generation"):
        return  # the middleware is not caching this request
    request._pagecache_page_id = page.pk
    request._pagecache_page_version = store.current_token(store.page_version_key(page.pk))
