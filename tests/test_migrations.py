"""Migrations that refuse data they cannot keep, with a message an operator can act on."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ProductPageFactory

BEFORE_PACK_CONSTRAINT = ("catalog", "0009_review_form_token_and_rating_index")
PACK_CONSTRAINT = ("catalog", "0010_pack_quantity_unique_per_product")


# serialized_rollback: the flush after this test must not recreate content types under new
# ids (post_migrate), or the next live-server test's restore of the migrations' rows clashes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_pack_constraint_migration_names_the_products_with_duplicate_quantities(
    product_index,
):
    product = ProductPageFactory(parent=product_index, title="Baclofen 10 mg", packs=[])
    call_command("migrate", *BEFORE_PACK_CONSTRAINT, verbosity=0)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE_PACK_CONSTRAINT).apps
        OldPackSize = old_apps.get_model("catalog", "PackSize")
        for price in ("10.00", "12.00"):
            OldPackSize.objects.create(page_id=product.pk, quantity=30, price=price)

        with pytest.raises(RuntimeError) as refused:
            call_command("migrate", *PACK_CONSTRAINT, verbosity=0)
        message = str(refused.value)
        assert "same quantity" in message
        assert f"“Baclofen 10 mg” (page {product.pk}): 2 packs of 30" in message
        assert OldPackSize.objects.filter(page_id=product.pk).count() == 2  # nothing deleted

        OldPackSize.objects.filter(page_id=product.pk, price="12.00").update(quantity=60)
    finally:
        call_command("migrate", verbosity=0)
    assert sorted(product.pack_sizes.values_list("quantity", flat=True)) == [30, 60]
