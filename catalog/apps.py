from django.apps import AppConfig
from django.db.models.signals import post_save


def _index_created(sender, instance, created, raw=False, **kwargs):
    """Every new products index needs medical sign-off before its products go live."""
    if created and not raw:
        from .signoff import require_medical_sign_off

        require_medical_sign_off(instance)


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"

    def ready(self):
        from .models import ProductIndexPage, ProductPage
        from .reviews.views import add_review

        ProductPage.review_view = add_review
        post_save.connect(_index_created, sender=ProductIndexPage, dispatch_uid="medical_sign_off")
