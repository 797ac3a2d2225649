"""A large synthetic catalogue for scale benchmarks (`manage.py generate_catalog`).

Creating 10,000 pages one by one through Wagtail's add_child costs several
queries each (tree bookkeeping, revisions, search and reference indexing). Here
the tree is written in bulk instead, the way treebeard itself lays it out:
children of the products index get consecutive materialised paths after its
last child, the base `Page` rows are bulk-inserted, the product rows are
inserted with raw saves (Django cannot bulk-insert multi-table models), pack
sizes and categories are bulk-inserted, the index's child count is updated
once, and the search index is filled in batches. The pages are live, with no
revision history (an editor's first save creates one).
"""

import random
import sys
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from .demo import BACLOFEN_BODY
from .models import LegalStatus, PackSize, ProductCategory, ProductIndexPage, ProductPage
from .reviews.models import Review, ReviewStatus

BATCH = 500
STARTS = ["Al", "Bex", "Cor", "Dal", "Eno", "Fel", "Gar", "Hyd", "Iso", "Jen", "Kal", "Lor"]
MIDDLES = ["a", "i", "o", "u", "e", "ava", "ime", "ola", "ura", "exi"]
ENDS = ["pril", "sartan", "statin", "mab", "zole", "cillin", "olol", "dipine", "tide", "fen"]
STRENGTHS = ["5 mg", "10 mg", "20 mg", "25 mg", "40 mg", "50 mg", "100 mg", "250 mg", "500 mg"]
CATEGORIES = ["Cardiology", "Pain relief", "Muscle relaxants", "Antibiotics", "Allergy"]


class Progress:
    """A progress bar on stderr: `generating products [#####.....] 5000/10000`."""

    def __init__(self, label, total, stream=sys.stderr, width=30):
        self.label, self.total, self.stream, self.width = label, total, stream, width
        self.done = 0

    def advance(self, n):
        self.done += n
        filled = self.width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def medicine_names(rng):
    """Endless distinct names such as 'Corolol 20 mg'."""
    seen = set()
    while True:
        name = (
            f"{rng.choice(STARTS)}{rng.choice(MIDDLES)}{rng.choice(ENDS)} {rng.choice(STRENGTHS)}"
        )
        if name in seen:
            name = f"{name} ({len(seen)})"
        seen.add(name)
        yield name


def _categories():
    return [
        ProductCategory.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in CATEGORIES
    ]


def generate_products(count, seed=7, stream=sys.stderr):
    """Add `count` live product pages under the (first) products index."""
    index = ProductIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValueError("There is no products index: run `manage.py load_demo` first.")
    generator = ProductBatches(index, random.Random(seed))
    progress = Progress("generating products", count, stream)
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        with transaction.atomic():
            generator.create(size)
        created += size
        progress.advance(size)
    _index_for_search(ProductPage.objects.filter(sku__startswith="GEN-"), count, stream)
    return created


def _child_path(parent, step):
    """The tree path of `parent`'s child number `step`.

    Pages are bulk-created here (10,000 at a time in bench-scale), which treebeard's
    public API (add_child, one page and several queries at a time) cannot do; these are
    treebeard's own helpers for the paths add_child would give."""
    return Page._get_path(parent.path, parent.depth + 1, step)


def _last_child_step(parent):
    last_child = parent.get_last_child()
    return Page._str2int(last_child.path[-Page.steplen :]) if last_child else 0  # as above


class ProductBatches:
    """Bulk-inserted product pages under one index: the Page rows, then the product rows,
    pack sizes and categories, a few queries per batch."""

    def __init__(self, index, rng):
        self.index, self.rng = index, rng
        self.names = medicine_names(rng)
        self.categories = _categories()
        self.content_type = ContentType.objects.get_for_model(ProductPage)
        self.step = _last_child_step(index)
        self.taken = set(Page.objects.child_of(index).values_list("slug", flat=True))
        body_field = ProductPage._meta.get_field("body")
        self.body = body_field.get_prep_value(body_field.to_python(BACLOFEN_BODY))
        self.now = timezone.now()

    def create(self, size):
        bases, details = [], []
        for _ in range(size):
            self.step += 1
            title = next(self.names)
            bases.append(self._page(title, self._free_slug(slugify(title))))
            details.append(self._product_fields(title))
        Page.objects.bulk_create(bases)
        for base, fields in zip(bases, details, strict=True):
            product = ProductPage(page_ptr_id=base.pk, **fields)
            product.__dict__["body"] = self.body  # already serialised: no per-row conversion
            # Raw: only the product row (its Page row exists); no per-row search or
            # reference indexing (the search index is filled in bulk afterwards).
            product.save_base(raw=True, force_insert=True)
        PackSize.objects.bulk_create(self._packs(bases))
        through = ProductPage.categories.through
        through.objects.bulk_create(
            through(productpage_id=base.pk, productcategory_id=self.rng.choice(self.categories).pk)
            for base in bases
        )
        Page.objects.filter(pk=self.index.pk).update(numchild=F("numchild") + size)

    def _free_slug(self, slug):
        while slug in self.taken:
            slug = f"{slug}-{self.rng.randint(2, 10**6)}"
        self.taken.add(slug)
        return slug

    def _page(self, title, slug):
        return Page(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_type,
            path=_child_path(self.index, self.step),
            depth=self.index.depth + 1,
            numchild=0,
            url_path=f"{self.index.url_path}{slug}/",
            live=True,
            has_unpublished_changes=False,
            first_published_at=self.now,
            last_published_at=self.now,
            locale_id=self.index.locale_id,
            translation_key=uuid.uuid4(),
        )

    def _product_fields(self, title):
        return {
            "summary": f"{title}: a medicine supplied on prescription or from the "
            "pharmacy, with information checked by our pharmacists.",
            "sku": f"GEN-{self.step:06d}",
            "free_shipping": self.rng.random() < 0.3,
            "legal_status": self.rng.choice(LegalStatus.values),
            "accept_reviews": True,
        }

    def _packs(self, bases):
        for base in bases:
            for i, quantity in enumerate(self.rng.sample([28, 30, 56, 60, 84, 90], 3)):
                price = Decimal(quantity) * Decimal(self.rng.randint(20, 120)) / 100
                yield PackSize(
                    page_id=base.pk,
                    sort_order=i,
                    quantity=quantity,
                    unit="tablets",
                    price=price.quantize(Decimal("0.01")),
                )


REVIEW_TEXTS = [
    "It eased my symptoms within a week and the side effects were mild.",
    "Works well for me, though I felt drowsy for the first few days.",
    "Fast delivery and clear instructions from the pharmacist.",
    "Did not suit me: I had to stop after a fortnight on my doctor's advice.",
    "Exactly as described. I have been taking it for months without problems.",
]


def generate_reviews(count, seed=7, stream=sys.stderr):
    """Spread `count` reviews over the generated products: most approved, some pending or spam."""
    rng = random.Random(seed)
    products = list(ProductPage.objects.filter(sku__startswith="GEN-").values_list("pk", "title"))
    if count and not products:
        raise ValueError("There are no generated products to review: add --products.")
    statuses = [ReviewStatus.APPROVED] * 8 + [ReviewStatus.PENDING, ReviewStatus.SPAM]
    progress = Progress("generating reviews", count, stream)
    now = timezone.now()
    created = 0
    while created < count:
        size = min(BATCH * 4, count - created)
        batch = []
        for i in range(size):
            pk, title = rng.choice(products)
            batch.append(
                Review(
                    product_id=pk,
                    product_title=title,
                    author_name=f"Customer {created + i}",
                    email=f"customer{created + i}@example.com",
                    rating=rng.randint(1, 5),
                    text=rng.choice(REVIEW_TEXTS),
                    status=rng.choice(statuses),
                    created=now - timedelta(minutes=rng.randint(0, 60 * 24 * 365)),
                )
            )
        Review.objects.bulk_create(batch)
        created += size
        progress.advance(size)
    return created


def _index_for_search(queryset, count, stream):
    backend = get_search_backend()
    progress = Progress("indexing for search", count, stream)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))[-count:]
    for start in range(0, len(ids), BATCH):
        batch = list(ProductPage.objects.filter(pk__in=ids[start : start + BATCH]))
        backend.add_bulk(ProductPage, batch)
        progress.advance(len(batch))
