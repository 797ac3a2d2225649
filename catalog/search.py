"""Site search over the published products (Wagtail search: PostgreSQL full text on
PostgreSQL, SQLite's FTS on SQLite)."""

import logging
import re

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.template.response import TemplateResponse

from .models import ProductPage
from .supply import SupplyRules

logger = logging.getLogger(__name__)
RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100
# Words only: quotes and operators would be read as full-text syntax (a lone `"` is a
# syntax error for SQLite's FTS).
_NOT_WORDS = re.compile(r"[^\w\s'-]+")


def clean_query(raw):
    return " ".join(_NOT_WORDS.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH].strip()


def ranks_by_relevance():
    """PostgreSQL ranks results; SQLite lists them by title. Wagtail's SQLite backend scores
    each result with a full-text match of its own, so a word found in all of 10,000 products
    took minutes to rank (bench/scale.py), where listing by title takes well under a second."""
    return connection.vendor != "sqlite"


def search(request):
    query = clean_query(request.GET.get("q"))
    results = None
    if query:
        found = (
            ProductPage.objects.live()
            .public()
            .specific(defer=True)
            .defer("body")  # not shown; sorting without it is cheaper
            .order_by("title")
            .search(query, order_by_relevance=ranks_by_relevance())
        )
        # get_page() turns a bad or out-of-range ?page= into a valid page, never a 500.
        try:
            results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        except DatabaseError:  # a query the full-text engine still cannot parse
            logger.warning("Search failed for %r", query, exc_info=True)
            results = Paginator([], RESULTS_PER_PAGE).get_page(1)
        add_listing_facts(results, SupplyRules.for_request(request))
    return TemplateResponse(request, "catalog/search.html", {"query": query, "results": results})


def add_listing_facts(results, rules):
    """Each result's legal status and, where the supply rules show it, its lowest price: one query
    for the whole page of results (the results' own fields are deferred)."""
    results.object_list = list(results.object_list)
    ids = [product.pk for product in results.object_list]
    facts = {
        row["pk"]: row
        for row in ProductPage.objects.filter(pk__in=ids)
        .with_lowest_price()
        .values("pk", "legal_status", "lowest_price")
    }
    for product in results.object_list:
        row = facts.get(product.pk)
        if row is None:  # unpublished since the search ran: show it without facts
            product.lowest_price = None
            continue
        product.legal_status = row["legal_status"]  # set, not loaded: no query per result
        product.lowest_price = row["lowest_price"] if rules.shows_prices(product) else None
