"""The read API's products endpoint: published, public product pages as JSON."""

from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.views import PagesAPIViewSet

from . import api_inputs
from .models import ProductPage, Review


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
        "supply",
        "currency",
        "pack_sizes",
        "categories",
        "average_rating",
        "review_count",
    ]

    def initial(self, request, *args, **kwargs):
        # Before Wagtail reads ?site= and ?html_path= (PostgreSQL refuses a NUL in a query).
        super().initial(request, *args, **kwargs)
        api_inputs.check_no_nul(request.GET)

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        api_inputs.check_query_parameters(self, queryset)  # what Wagtail lets through as 500s

    def get_object(self):
        # Wagtail's route takes any digits; an id beyond the column's range is not found.
        if api_inputs.as_page_id(self.kwargs.get("pk")) is None:
            raise Http404
        return super().get_object()

    def find_object(self, queryset, request):
        if "id" in request.GET:
            page_id = api_inputs.as_page_id(request.GET["id"])
            return queryset.filter(id=page_id).first() if page_id is not None else None
        return super().find_object(queryset, request)

    def get_queryset(self):
        public = self.get_base_queryset().values_list("pk", flat=True)
        # Approved reviews only, as on the page: one subquery each, no query per product.
        approved = (
            Review.objects.approved()
            .filter(product=OuterRef("pk"))
            .order_by()
            .values("product")
            .annotate(n=Count("pk"), average=Avg("rating"))
        )
        return (
            ProductPage.objects.filter(pk__in=public)
            .select_related("locale", "leaflet", "smpc")  # for ?fields=locale / medicine (or *)
            .prefetch_related("pack_sizes", "categories", "ingredients__ingredient")
            .annotate(
                approved_review_count=Coalesce(Subquery(approved.values("n")), 0),
                approved_average_rating=Subquery(approved.values("average")),
            )
            .order_by("path")
        )
