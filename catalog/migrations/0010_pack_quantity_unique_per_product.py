"""Each pack of a product has its own quantity: a database constraint.

A database that already has two packs of one quantity on a product stops here with the
products to fix, rather than a bare IntegrityError (or a silent deletion of a pack).
"""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_quantities(apps, schema_editor):
    PackSize = apps.get_model("catalog", "PackSize")
    duplicates = (
        PackSize.objects.values("page_id", "page__title", "quantity")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("page__title", "quantity")
    )
    if duplicates:
        lines = [
            f"  - “{d['page__title']}” (page {d['page_id']}): {d['n']} packs of {d['quantity']}"
            for d in duplicates
        ]
        raise RuntimeError(
            "Some products have two or more packs with the same quantity; each pack of a "
            "product needs its own quantity. Edit these products in the admin (change or "
            "delete the extra packs), then run the migrations again:\n" + "\n".join(lines)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_review_form_token_and_rating_index"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicate_quantities, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="packsize",
            constraint=models.UniqueConstraint(
                fields=("page", "quantity"), name="catalog_pack_unique_quantity_per_product"
            ),
        ),
    ]
