"""The read API's products endpoint: published, public product pages as JSON."""

from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.views import PagesAPIViewSet

from .models import ProductPage


class ProductsAPIViewSet(PagesAPIViewSet):
    """/api/v2/products/: GET only (Wagtail's v2 views route nothing else).

    Wagtail's public-pages queryset keeps drafts, unpublished and
    password/login-protected pages out; pack sizes and categories are prefetched
    so a listing costs the same number of queries for 1 product or 20.
    """

    name = "products"
    model = ProductPage
    # JSON only: the browsable HTML renderer is not needed by other apps.
    renderer_classes = [JSONRenderer]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"type"}
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "sku",
        "legal_status",
        "legal_status_label",
        "free_shipping",
        "currency",
        "pack_sizes",
        "categories",
    ]

    def get_queryset(self):
        public = self.get_base_queryset().values_list("pk", flat=True)
        return (
            ProductPage.objects.filter(pk__in=public)
            .select_related("locale")  # for ?fields=locale (or *)
            .prefetch_related("pack_sizes", "categories")
            .order_by("path")
        )
