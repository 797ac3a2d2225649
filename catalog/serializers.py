"""How a product's parts look in the read API (see ProductPage.api_fields).

Plain serializers (no model imports) so models.py can use them in api_fields.
Prices are strings ("24.00"), as DRF renders decimals, so no client rounds them.
"""

from rest_framework import serializers


class PackSizeSerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    unit = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    previous_price = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
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
        from home.models import PharmacySettings

        # load() caches the settings on the request: one query per response.
        return PharmacySettings.load(request_or_site=self.context.get("request")).currency
