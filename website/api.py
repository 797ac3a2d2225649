"""The read API at /api/v2/ (Wagtail API v2): products for other apps."""

from wagtail.api.v2.router import WagtailAPIRouter

from catalog.api import ProductsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("products", ProductsAPIViewSet)
