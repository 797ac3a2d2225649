"""WooCommerce product rows -> product pages, pack sizes and categories.

Reading is separate from saving: `parse_products` turns the file's rows into
`ProductData` (or row errors) without touching the database; `ProductImporter`
saves one product at a time, each in its own transaction.

Decisions (see README, "Importing from WooCommerce"):
- A variable product's variations on a quantity attribute ("Quantity", "Pack
  size", ...) are its pack sizes. A simple product is one pack: the quantity of
  its single-valued quantity attribute, else a pack of 1 ("pack").
- Pack price: the sale price while the sale runs, with the regular price as the
  previous price; otherwise the regular price.
- Categories "A > B, C": the leaf of each path (B, C) becomes a ProductCategory.
- Legal status: a "Legal status" attribute (POM / P / GSL); otherwise
  prescription-only, the strictest, for the pharmacist to confirm.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import LegalStatus, PackSize, ProductCategory, ProductPage

from .description import description_to_blocks, plain_text
from .errors import RowError

SUMMARY_MAX = 300
TITLE_MAX = 255
PRICE_MAX = Decimal("999999.99")  # PackSize.price: 8 digits, 2 decimal places
QUANTITY_MAX = 10_000
MAX_ID = 2**63 - 1  # ProductPage.woocommerce_id is a 64-bit integer
PRICE_RE = re.compile(r"^\d{1,6}(\.\d{1,2})?$")
QUANTITY_ATTRIBUTE = re.compile(r"quantit|pack|count|size|tablets|capsules|\bqty\b", re.I)
QUANTITY_VALUE = re.compile(r"(\d{1,6})\s*([A-Za-z][A-Za-z ]{0,28})?")
FREE_SHIPPING = {"free shipping", "free-shipping", "free_shipping", "freeshipping"}
LEGAL_STATUS_WORDS = {
    "pom": LegalStatus.PRESCRIPTION_ONLY,
    "prescription only": LegalStatus.PRESCRIPTION_ONLY,
    "prescription-only": LegalStatus.PRESCRIPTION_ONLY,
    "prescription-only medicine": LegalStatus.PRESCRIPTION_ONLY,
    "p": LegalStatus.PHARMACY,
    "pharmacy": LegalStatus.PHARMACY,
    "pharmacy medicine": LegalStatus.PHARMACY,
    "gsl": LegalStatus.GENERAL_SALE,
    "general sale": LegalStatus.GENERAL_SALE,
    "general sales list": LegalStatus.GENERAL_SALE,
}
SKIPPED_TYPES = {"grouped", "external"}
TRUE = {"1", "yes", "true", "instock", "in stock", "onbackorder", "backorder"}


@dataclass
class PackData:
    row: int
    quantity: int
    unit: str
    price: Decimal
    previous_price: Decimal | None
    in_stock: bool


@dataclass
class ProductData:
    row: int
    woocommerce_id: int | None
    sku: str
    title: str
    summary: str
    body: list
    categories: list
    free_shipping: bool
    legal_status: str
    accept_reviews: bool
    published: bool
    packs: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    variation_rows: list = field(default_factory=list)
    is_variable: bool = False


@dataclass
class Outcome:
    row: int
    status: str  # created / updated / unchanged / skipped / failed
    title: str = ""
    message: str = ""
    notes: list = field(default_factory=list)


# Reading ------------------------------------------------------------------


def _types(row):
    return {t.strip().lower() for t in row.get("Type").split(",") if t.strip()} or {"simple"}


def _woocommerce_id(row):
    value = row.get("ID")
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise RowError(f"ID {value!r} is not a WooCommerce product ID.")
    return int(value)


def parse_price(row, column):
    value = row.get(column)
    if not value:
        return None
    if not PRICE_RE.match(value) or Decimal(value) > PRICE_MAX:
        raise RowError(f"'{column}' is not a price: {row.get(column)!r}.")
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation as e:  # pragma: no cover - the pattern rules it out
        raise RowError(f"'{column}' is not a price: {row.get(column)!r}.") from e


def _sale_is_on(row, today):
    """WooCommerce's scheduled sales: no dates means the sale price applies now."""
    for column, ok in (
        ("Date sale price starts", lambda d: d <= today),
        ("Date sale price ends", lambda d: d >= today),
    ):
        value = row.get(column)
        if value:
            try:
                if not ok(date.fromisoformat(value[:10])):
                    return False
            except ValueError as e:
                raise RowError(f"'{column}' is not a date: {value!r}.") from e
    return True


def _prices(row, today):
    regular = parse_price(row, "Regular price")
    sale = parse_price(row, "Sale price")
    if sale is not None and _sale_is_on(row, today):
        if regular is not None and regular > sale:
            return sale, regular
        return sale, None
    return regular, None


def _attributes(row):
    """{name: [values]} from the 'Attribute N name' / 'Attribute N value(s)' columns."""
    attributes = {}
    for n in range(1, 51):
        name = row.get(f"Attribute {n} name")
        if not name:
            if f"attribute {n} name" not in row.values:
                break
            continue
        raw = row.get(f"Attribute {n} value(s)")
        # WooCommerce separates values with ", " and escapes commas in a value as "\,".
        values = [v.replace("\\,", ",").strip() for v in re.split(r"(?<!\\),", raw)]
        attributes[name] = [v for v in values if v]
    return attributes


def _quantity_attribute(attributes):
    for name, values in attributes.items():
        if QUANTITY_ATTRIBUTE.search(name):
            return name, values
    return None, []


def parse_quantity(value, attribute_name=""):
    """(quantity, unit) from '30', '30 tablets' or 'Pack of 30'; unit defaults to tablets."""
    match = QUANTITY_VALUE.search(value)
    if not match or not 1 <= int(match.group(1)) <= QUANTITY_MAX:
        raise RowError(f"'{attribute_name}' is not a pack quantity: {value!r}.")
    unit = (match.group(2) or "").strip().lower()
    if not unit and re.search(r"tablets|capsules", attribute_name, re.I):
        unit = attribute_name.strip().lower()
    return int(match.group(1)), unit or "tablets"


def _in_stock(row):
    value = row.get("In stock?").lower()
    return value in TRUE if value else True


def _categories(row):
    names = []
    for path in re.split(r"(?<!\\),", row.get("Categories")):
        leaf = path.split(">")[-1].replace("\\,", ",").strip()
        if leaf and leaf.lower() != "uncategorized" and leaf not in names:
            names.append(leaf[:80])
    return names


def _free_shipping(row):
    tags = {t.strip().lower() for t in re.split(r"(?<!\\),", row.get("Tags"))}
    return bool((tags | {row.get("Shipping class").lower()}) & FREE_SHIPPING)


def _legal_status(attributes):
    for name, values in attributes.items():
        if "legal" in name.lower() and values:
            status = LEGAL_STATUS_WORDS.get(values[0].strip().lower())
            if status is None:
                raise RowError(f"'{name}' must be POM, P or GSL, not {values[0]!r}.")
            return status
    return LegalStatus.PRESCRIPTION_ONLY


def _summary(row, blocks):
    """The short description, else the description's opening section, as plain text."""
    text = plain_text(row.get("Short description"))
    if not text and blocks:
        first = blocks[0][1]
        text = plain_text(first.get("text") or first.get("intro") or "")
    if len(text) > SUMMARY_MAX:
        cut = text[: SUMMARY_MAX - 1]
        sentence_end = cut.rfind(". ")
        text = cut[: sentence_end + 1] if sentence_end > 100 else cut.rsplit(" ", 1)[0] + "…"
    return text


def _product(row, today):
    title = " ".join(row.get("Name").split())
    if not title:
        raise RowError("it has no Name.")
    if len(title) > TITLE_MAX:
        raise RowError(f"the Name is longer than {TITLE_MAX} characters.")
    woocommerce_id = _woocommerce_id(row)
    sku = row.get("SKU")
    if woocommerce_id is None and not sku:
        raise RowError("it has neither an ID nor a SKU, so a re-import could not find it.")
    if len(sku) > 64:
        raise RowError("the SKU is longer than 64 characters.")
    attributes = _attributes(row)
    try:
        parsed = description_to_blocks(row.get("Description"))
        summary = _summary(row, parsed.blocks)
    except RecursionError as e:
        raise RowError("the description's HTML is nested too deeply to read.") from e
    product = ProductData(
        row=row.number,
        woocommerce_id=woocommerce_id,
        sku=sku,
        title=title,
        summary=summary or title,
        body=parsed.blocks,
        categories=_categories(row),
        free_shipping=_free_shipping(row),
        legal_status=_legal_status(attributes),
        accept_reviews=row.get("Allow customer reviews?").lower() in TRUE,
        published=row.get("Published") in {"", "1"},
        notes=parsed.notes,
        is_variable="variable" in _types(row),
    )
    if "simple" in _types(row):
        price, previous = _prices(row, today)
        name, values = _quantity_attribute(attributes)
        if price is None:
            product.notes.append("It has no price, so it has no pack sizes.")
        else:
            quantity, unit = parse_quantity(values[0], name) if len(values) == 1 else (1, "pack")
            if len(values) > 1:
                product.notes.append(
                    f"Its '{name}' lists several quantities but it is a simple product: "
                    "imported as one pack of 1. Use variations for pack sizes."
                )
            product.packs.append(
                PackData(row.number, quantity, unit, price, previous, _in_stock(row))
            )
    return product


def _pack(row, today):
    name, values = _quantity_attribute(_attributes(row))
    if not values:
        raise RowError("the variation has no quantity attribute (e.g. 'Quantity' = 30).")
    quantity, unit = parse_quantity(values[0], name)
    price, previous = _prices(row, today)
    if price is None:
        raise RowError("the variation has no price.")
    return PackData(row.number, quantity, unit, price, previous, _in_stock(row))


def parse_products(rows, today=None):
    """(products, outcomes for rows that were skipped or failed while reading)."""
    today = today or timezone.localdate()
    products, outcomes = [], []
    by_id, by_sku = {}, {}
    failed_refs = {}  # "id:NNN" / SKU of a product row that failed -> its row number
    variations = []
    for row in rows:
        types = _types(row)
        if "variation" in types:
            variations.append(row)
            continue
        if types & SKIPPED_TYPES:
            kind = " ".join(sorted(types & SKIPPED_TYPES))
            outcomes.append(
                Outcome(
                    row.number, "skipped", row.get("Name"), f"{kind} products are not imported."
                )
            )
            continue
        try:
            product = _product(row, today)
            for key, seen in ((product.woocommerce_id, by_id), (product.sku, by_sku)):
                if key and key in seen:
                    raise RowError(f"{key} appears again (first on row {seen[key].row}).")
        except RowError as e:
            outcomes.append(Outcome(row.number, "failed", row.get("Name"), str(e)))
            for ref in (f"id:{row.get('ID')}", row.get("SKU")):
                failed_refs.setdefault(ref.lower(), row.number)
            continue
        if product.woocommerce_id:
            by_id[product.woocommerce_id] = product
        if product.sku:
            by_sku[product.sku] = product
        products.append(product)

    for row in variations:
        parent_ref = row.get("Parent")
        try:
            if not parent_ref:
                raise RowError("the variation has no Parent.")
            if parent_ref.lower().startswith("id:"):
                ref = parent_ref[3:].strip()
                parent = by_id.get(int(ref)) if ref.isdigit() else None
            else:
                parent = by_sku.get(parent_ref)
            if parent is None and parent_ref.lower() in failed_refs:
                raise RowError(
                    f"its Parent {parent_ref!r} failed (row {failed_refs[parent_ref.lower()]})."
                )
            if parent is None:
                raise RowError(f"its Parent {parent_ref!r} is not a product in this file.")
            parent.variation_rows.append(row.number)
            pack = _pack(row, today)
            clash = next((p for p in parent.packs if p.quantity == pack.quantity), None)
            if clash:
                raise RowError(
                    f"{pack.quantity} is already a pack size of '{parent.title}' (row {clash.row})."
                )
            parent.packs.append(pack)
        except RowError as e:
            outcomes.append(Outcome(row.number, "failed", row.get("Name"), str(e)))
    for product in products:
        if not product.packs and not product.variation_rows and product.is_variable:
            product.notes.append("It has no variations, so it has no pack sizes.")
    failed_rows = {o.row for o in outcomes if o.status == "failed"}
    for product in list(products):
        bad = sorted(set(product.variation_rows) & failed_rows)
        if bad:
            products.remove(product)
            rows_text = ", ".join(str(n) for n in bad)
            outcomes.append(
                Outcome(
                    product.row,
                    "failed",
                    product.title,
                    f"not imported because its variation(s) on row {rows_text} failed.",
                )
            )
    return products, outcomes


# Saving -------------------------------------------------------------------


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


class ProductImporter:
    """Creates or updates product pages under one products index."""

    def __init__(self, index, publish=False):
        self.index = index
        self.publish = publish
        self.categories = {c.slug: c for c in ProductCategory.objects.all()}
        self.slugs = set(ProductPage.objects.child_of(index).values_list("slug", flat=True))
        self._new_categories = []

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
        base = slugify(title)[:240] or "product"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def _save(self, product):
        notes = list(product.notes)
        existing = self._existing(product)
        problems = body_problems(product.body)
        publish = self.publish and product.published and not problems
        if problems:
            notes.append(
                ("Kept as a draft" if self.publish else "Complete before publishing")
                + ": "
                + "; ".join(problems)
                + "."
            )
        if self.publish and not product.published:
            notes.append("Kept as a draft: it is not published in WooCommerce.")

        if existing is None:
            page = ProductPage(slug=self._unique_slug(product.title), live=False)
            self._apply(page, product)
            page.has_unpublished_changes = True
            self.index.add_child(instance=page)
            revision = page.save_revision(log_action="wagtail.create")
            if publish:
                revision.publish()
            return "created", notes

        page = ProductPage.objects.get(pk=existing.pk)
        draft = page.get_latest_revision_as_object()
        before = _snapshot(draft)
        self._apply(draft, product)
        changed = _snapshot(draft) != before
        needs_publishing = publish and (not page.live or page.has_unpublished_changes)
        if not changed and not needs_publishing:
            return "unchanged", []
        if not draft.live:
            draft.save()  # as the admin does for a page that is not live
        revision = draft.save_revision(log_action=True, changed=changed)
        if publish:
            revision.publish()
        elif page.live:
            notes.append("Saved as a draft: the live page is unchanged until it is published.")
        return "updated", notes
