"""Saving imported products (product_rows.py reads them): one page at a time, each in its
own transaction, published only with a medical reviewer's sign-off (--reviewed-by)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from wagtail.log_actions import log

from catalog.models import PackSize, ProductCategory, ProductPage
from catalog.slugs import first_free

from .errors import RowError
from .product_rows import Outcome

# Registered in catalog/wagtail_hooks.py: "Signed off at import by ..." in the page's history.
IMPORT_SIGN_OFF_ACTION = "catalog.import_sign_off"


def _strip_ids(data):
    if isinstance(data, dict):
        return {k: _strip_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_strip_ids(v) for v in data]
    return data


def _snapshot(page):
    """What an import sets on a page, comparable between the file and the page."""
    return (
        page.title,
        page.summary,
        page.sku,
        page.woocommerce_id,
        page.free_shipping,
        page.legal_status,
        page.accept_reviews,
        _strip_ids(page.body.get_prep_value()),
        sorted(c.pk for c in page.categories.all()),
        [
            (p.quantity, p.unit, p.price, p.previous_price, p.in_stock)
            for p in page.pack_sizes.all()
        ],
    )


def body_problems(blocks):
    """Why the admin would refuse to publish this body (empty when it would not)."""
    body_field = ProductPage._meta.get_field("body")
    body = body_field.to_python(blocks)
    try:
        body_field.stream_block.clean(body)
    except ValidationError as e:
        problems = []
        for index, error in getattr(e, "block_errors", {}).items():
            child = body[index]
            name = child.value.get("heading") or child.value.get("title") or child.block.label
            message = _flatten_error(error).rstrip(".")
            problems.append(f"'{name}' ({child.block.label}) {message}")
        return problems or [" ".join(e.messages)]
    return []


def _flatten_error(error):
    if isinstance(error, ValidationError):
        parts = []
        for name in ("block_errors", "non_block_errors"):
            nested = getattr(error, name, None)
            if isinstance(nested, dict):
                parts += [f"{k}: {_flatten_error(v).rstrip('.')}" for k, v in nested.items()]
            elif nested:
                parts += [_flatten_error(v) for v in nested]
        return "; ".join(parts) or " ".join(error.messages)
    if isinstance(error, list | tuple):
        return "; ".join(_flatten_error(e) for e in error)
    return str(error)


def _validation_message(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


@dataclass(frozen=True)
class SignOff:
    """The medical reviewer who signed off the pages an import publishes (--reviewed-by)."""

    reviewed_by: str
    on: date

    def apply(self, page):
        """Record the review on the page; a next review date it makes past is cleared."""
        page.last_reviewed = self.on
        page.reviewed_by = self.reviewed_by
        if page.next_review_due and page.next_review_due <= self.on:
            page.next_review_due = None
            return ["Its next review date had passed: set a new one in the admin."]
        return []

    def log(self, page):
        """The sign-off in the page's history (Wagtail's log, next to the publication)."""
        log(page, IMPORT_SIGN_OFF_ACTION, data={"reviewed_by": self.reviewed_by})


class ProductImporter:
    """Creates or updates product pages under one products index; publishes them only
    with a medical reviewer's sign-off."""

    def __init__(self, index, sign_off=None):
        self.index = index
        self.sign_off = sign_off
        self.categories = {c.slug: c for c in ProductCategory.objects.all()}
        self.slugs = set(ProductPage.objects.child_of(index).values_list("slug", flat=True))
        self._new_categories = []

    @property
    def publish(self):
        return self.sign_off is not None

    def prefetch(self, products):
        """Find the pages that already exist, for all products in two queries."""
        ids = [p.woocommerce_id for p in products if p.woocommerce_id]
        skus = [p.sku for p in products if p.sku]
        fields = ("pk", "woocommerce_id", "sku", "title")
        self.by_id = {
            p.woocommerce_id: p
            for p in ProductPage.objects.filter(woocommerce_id__in=ids).only(*fields)
        }
        self.by_sku = {p.sku: p for p in ProductPage.objects.filter(sku__in=skus).only(*fields)}

    def import_product(self, product):
        """Save one product in its own transaction; return its Outcome."""
        self._new_categories = []
        try:
            with transaction.atomic():
                status, notes = self._save(product)
        except (RowError, ValidationError, DatabaseError) as e:
            message = _validation_message(e) if isinstance(e, ValidationError) else str(e)
            self._forget_rolled_back()
            return Outcome(product.row, "failed", product.title, message)
        return Outcome(product.row, status, product.title, notes=notes)

    def _forget_rolled_back(self):
        for category in self._new_categories:
            self.categories.pop(category.slug, None)
        # add_child() counted a child that the rollback removed again.
        self.index.refresh_from_db(fields=["numchild"])

    def _existing(self, product):
        by_id = self.by_id.get(product.woocommerce_id) if product.woocommerce_id else None
        by_sku = self.by_sku.get(product.sku) if product.sku else None
        if by_id and by_sku and by_id.pk != by_sku.pk:
            raise RowError(
                f"its ID matches the page '{by_id.title}' but its SKU matches '{by_sku.title}'."
            )
        if by_sku and not by_id and by_sku.woocommerce_id and product.woocommerce_id:
            raise RowError(
                f"SKU {product.sku} belongs to '{by_sku.title}', imported from WooCommerce "
                f"product {by_sku.woocommerce_id}, not {product.woocommerce_id}."
            )
        return by_id or by_sku

    def _category(self, name):
        slug = slugify(name)[:80] or "category"
        category = self.categories.get(slug)
        if category is None:
            category = ProductCategory.objects.filter(name__iexact=name).first()
            if category is None:
                category = ProductCategory.objects.create(name=name, slug=slug)
                self._new_categories.append(category)
            self.categories[slug] = category
        return category

    def _apply(self, page, product):
        page.title = product.title
        page.summary = product.summary
        page.sku = product.sku
        page.woocommerce_id = product.woocommerce_id or page.woocommerce_id
        page.free_shipping = product.free_shipping
        page.legal_status = product.legal_status
        page.accept_reviews = product.accept_reviews
        page.body = product.body
        page.categories = [self._category(name) for name in product.categories]
        page.pack_sizes = [
            PackSize(
                quantity=p.quantity,
                unit=p.unit,
                price=p.price,
                previous_price=p.previous_price,
                in_stock=p.in_stock,
                sort_order=i,
            )
            for i, p in enumerate(product.packs)
        ]

    def _unique_slug(self, title):
        return first_free(slugify(title)[:240] or "product", self.slugs)

    def _save(self, product):
        notes = list(product.notes)
        problems = body_problems(product.body)
        publish = self.publish and product.published and not problems
        if problems:
            label = "Kept as a draft" if self.publish else "Complete before publishing"
            notes.append(f"{label}: {'; '.join(problems)}.")
        if self.publish and not product.published:
            notes.append("Kept as a draft: it is not published in WooCommerce.")
        existing = self._existing(product)
        if existing is None:
            return "created", notes + self._create(product, publish)
        return self._update(existing, product, publish, notes)

    def _create(self, product, publish):
        page = ProductPage(slug=self._unique_slug(product.title), live=False)
        self._apply(page, product)
        notes = self.sign_off.apply(page) if publish else []
        page.has_unpublished_changes = True
        self.index.add_child(instance=page)
        revision = page.save_revision(log_action="wagtail.create")
        if publish:
            self._publish(revision, page)
        return notes

    def _update(self, existing, product, publish, notes):
        page = ProductPage.objects.get(pk=existing.pk)
        draft = page.get_latest_revision_as_object()
        before = _snapshot(draft)
        self._apply(draft, product)
        changed = _snapshot(draft) != before
        needs_publishing = publish and (not page.live or page.has_unpublished_changes)
        if not changed and not needs_publishing:
            return "unchanged", []
        if publish:
            notes += self.sign_off.apply(draft)
        if not draft.live:
            draft.save()  # as the admin does for a page that is not live
        revision = draft.save_revision(log_action=True, changed=changed)
        if publish:
            self._publish(revision, draft)
        elif page.live:
            notes.append("Saved as a draft: the live page is unchanged until it is published.")
        return "updated", notes

    def _publish(self, revision, page):
        revision.publish()
        self.sign_off.log(page)
