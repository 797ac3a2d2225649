"""How a product's parts look in the read API (see ProductPage.api_fields).

Plain serializers (no page model imports) so models.py can use them in api_fields.
Prices are strings ("24.00"), as DRF renders decimals, so no client rounds them.
"""

from django.db.models import Avg, Count
from rest_framework import serializers

from catalog.supply import SupplyRules
from home.site_settings import PharmacySettings


def supply_rules(field):
    """The supply rules of the API request's site (catalog/supply.py); settings cached."""
    return SupplyRules.for_request(field.context.get("request"))


class PromotedPreviousPrice(serializers.DecimalField):
    """A pack's previous price, null where the product may not be promoted."""

    def get_attribute(self, pack):
        if not supply_rules(self).allows_promotion(pack.page):
            return None
        return pack.previous_price


class PromotedFlag(serializers.BooleanField):
    """free_shipping: false where the product may not be promoted (a badge is promotion)."""

    def get_attribute(self, page):
        return bool(super().get_attribute(page)) and supply_rules(self).allows_promotion(page)


class SupplyField(serializers.Field):
    """What the supply rules let a visitor do with the product (catalog/supply.py)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        rules = supply_rules(self)
        return {
            "may_add_to_cart": rules.may_add_to_cart(page),
            "needs_consultation": rules.needs_consultation(page),
            "prescription_required": rules.needs_prescription(page),
            "promotion_allowed": rules.allows_promotion(page),
            "max_packs_per_order": page.max_packs_per_order,
        }


class PackSizeSerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    unit = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    previous_price = PromotedPreviousPrice(max_digits=8, decimal_places=2, allow_null=True)
    in_stock = serializers.BooleanField()
    price_per_unit = serializers.DecimalField(max_digits=10, decimal_places=2)


class CategorySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class CurrencyField(serializers.Field):
    """The pharmacy's currency (site settings), so prices are never ambiguous."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        # load() caches the settings on the request: one query per response.
        return PharmacySettings.load(request_or_site=self.context.get("request")).currency


class ApprovedReviewsField(serializers.Field):
    """`review_count` / `average_rating` of a product's approved reviews.

    The products endpoint annotates both in its listing query; a page fetched
    any other way falls back to one aggregate query.
    """

    def __init__(self, statistic, **kwargs):
        self.statistic = statistic
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, page):
        if not supply_rules(self).allows_promotion(page):
            return None  # no rating or count where reviews would promote the medicine
        if not hasattr(page, "approved_review_count"):
            totals = page.reviews.approved().aggregate(n=Count("pk"), average=Avg("rating"))
            page.approved_review_count = totals["n"]
            page.approved_average_rating = totals["average"]
        if self.statistic == "count":
            return page.approved_review_count or 0
        return page.approved_average_rating

    def to_representation(self, value):
        if self.statistic == "count":
            return int(value)
        return round(float(value), 1)  # as the page shows it; null without reviews


class IngredientSerializer(serializers.Serializer):
    name = serializers.CharField(source="ingredient.name")
    strength = serializers.DecimalField(max_digits=9, decimal_places=3, normalize_output=True)
    unit = serializers.CharField()


class DocumentLinkSerializer(serializers.Serializer):
    """A leaflet or SmPC: its title, download URL, size and revision date."""

    def to_representation(self, item):
        label, document, revised = item
        request = self.context.get("request")
        url = document.url
        return {
            "type": label,
            "title": document.title,
            "url": request.build_absolute_uri(url) if request else url,
            "file_size": document.file_size,
            "revised": revised.isoformat() if revised else None,
        }


class MedicineSerializer(serializers.Serializer):
    """The Medicine tab's facts (catalog/medicine.py), as the facts panel shows them."""

    ingredients = IngredientSerializer(many=True, source="ingredients.all")
    dosage_form = serializers.CharField()
    administration_route = serializers.CharField()
    non_proprietary_name = serializers.CharField()
    is_proprietary = serializers.BooleanField(allow_null=True)
    licence_number = serializers.CharField()
    marketing_authorisation_holder = serializers.CharField()
    additional_monitoring = serializers.BooleanField()
    atc_code = serializers.CharField()
    max_daily_dose = serializers.DecimalField(
        max_digits=9, decimal_places=3, allow_null=True, normalize_output=True
    )
    max_daily_dose_unit = serializers.CharField()
    documents = DocumentLinkSerializer(many=True, source="medicine_documents")
