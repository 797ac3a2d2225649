"""Merchant-listing data (schema.org for shopping results) for products that may be promoted.

Under the UK default, only general-sale and pharmacy medicines may be promoted to the public;
prescription-only medicines never are (their page stays a MedicalWebPage about a Drug).
"""

from .models import LegalStatus


def may_list(product):
    """Whether the product's price may be promoted (search results, merchant listings).

    ONE predicate on purpose: catalog/supply.py (issue 18) decides what each legal status may
    show; at merge this is to defer to it."""
    return product.legal_status != LegalStatus.PRESCRIPTION_ONLY
