"""Routing that costs one query per level instead of two."""

from django.apps import apps
from django.http import Http404

from website.pagecache.lookups import remembered_page


class SpecificChildRoutingMixin:
    """For pages whose children are all of one type (their single `subpage_types`).

    Wagtail's default route fetches the child as a plain Page, then again as its
    specific type. Querying the specific model directly saves a query per level
    on every page view; and the child is remembered between its changes
    (website/pagecache/lookups.py), which saves the other.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        (child_type,) = self.subpage_types
        model = apps.get_model(child_type)
        slug = path_components[0]
        child = remembered_page(
            request,
            ("child", self.pk, child_type, slug),
            lambda: model.objects.child_of(self).filter(slug=slug).first(),
        )
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # get_parent() costs nothing (as in Page.route)
        return child.route(request, path_components[1:])


def routed_ancestors(page):
    """The page's ancestors below the tree root, top first.

    Walks get_parent(), which is free for a page reached by routing (each parent
    is cached on its child) and costs one query per level otherwise.
    """
    ancestors = []
    parent = page.get_parent() if page.depth > 2 else None
    while parent is not None:
        ancestors.insert(0, parent)
        parent = parent.get_parent() if parent.depth > 2 else None
    return ancestors
