"""Routing that costs one query per level instead of two."""

from django.apps import apps
from django.http import Http404


class SpecificChildRoutingMixin:
    """For pages whose children are all of one type (their single `subpage_types`).

    Wagtail's default route fetches the child as a plain Page, then again as its
    specific type; querying the specific model directly saves a query per level.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        (child_type,) = self.subpage_types
        model = apps.get_model(child_type)
        child = model.objects.child_of(self).filter(slug=path_components[0]).first()
        if child is None:
            raise Http404
        return child.route(request, path_components[1:])


def routed_ancestors(page):
    """The page's ancestors below the tree root, top first, in one query."""
    if page.pk is None:  # a preview of a page not saved yet
        parent = page.get_parent()
        return [*routed_ancestors(parent), parent.specific] if parent and parent.depth > 1 else []
    return list(page.get_ancestors().filter(depth__gt=1).specific(defer=True))
