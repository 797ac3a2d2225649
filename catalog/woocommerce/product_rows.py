"""Reading WooCommerce product rows: `parse_products` turns the file's rows into
`ProductData` (or row errors) without touching the database; product_pages.py saves them.

Decisions (see docs/importing.md):
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

from django.utils import timezone

from catalog.models import PACK_QUANTITY_MAX, LegalStatus

from .description import description_to_blocks, plain_text
from .errors import RowError

SUMMARY_MAX = 300
TITLE_MAX = 255
PRICE_MAX = Decimal("999999.99")  # PackSize.price: 8 digits, 2 decimal places
QUANTITY_MAX = PACK_QUANTITY_MAX
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


def _identity(row):
    """(title, WooCommerce ID, SKU): what a re-import finds the page by."""
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
    return title, woocommerce_id, sku


def _description(row):
    try:
        parsed = description_to_blocks(row.get("Description"))
        return parsed, _summary(row, parsed.blocks)
    except RecursionError as e:
        raise RowError("the description's HTML is nested too deeply to read.") from e


def _product(row, today):
    title, woocommerce_id, sku = _identity(row)
    attributes = _attributes(row)
    parsed, summary = _description(row)
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
        _add_simple_pack(product, row, attributes, today)
    return product


def _add_simple_pack(product, row, attributes, today):
    """A simple product is one pack: its single quantity attribute's, else a pack of 1."""
    price, previous = _prices(row, today)
    if price is None:
        product.notes.append("It has no price, so it has no pack sizes.")
        return
    name, values = _quantity_attribute(attributes)
    quantity, unit = parse_quantity(values[0], name) if len(values) == 1 else (1, "pack")
    if len(values) > 1:
        product.notes.append(
            f"Its '{name}' lists several quantities but it is a simple product: "
            "imported as one pack of 1. Use variations for pack sizes."
        )
    product.packs.append(PackData(row.number, quantity, unit, price, previous, _in_stock(row)))


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
    reader = ProductRows(today or timezone.localdate())
    variations = []
    for row in rows:
        types = _types(row)
        if "variation" in types:
            variations.append(row)  # after every product: a parent may come later
        elif types & SKIPPED_TYPES:
            reader.skip(row, types & SKIPPED_TYPES)
        else:
            reader.add_product(row)
    for row in variations:
        reader.add_variation(row)
    return reader.finish()


class ProductRows:
    """The products read so far, found by ID and SKU, and what went wrong with other rows."""

    def __init__(self, today):
        self.today = today
        self.products, self.outcomes = [], []
        self.by_id, self.by_sku = {}, {}
        self.failed_refs = {}  # "id:NNN" / SKU of a product row that failed -> its row number

    def fail(self, row, error):
        self.outcomes.append(Outcome(row.number, "failed", row.get("Name"), str(error)))

    def skip(self, row, kinds):
        kind = " ".join(sorted(kinds))
        message = f"{kind} products are not imported."
        self.outcomes.append(Outcome(row.number, "skipped", row.get("Name"), message))

    def add_product(self, row):
        try:
            product = _product(row, self.today)
            for key, seen in ((product.woocommerce_id, self.by_id), (product.sku, self.by_sku)):
                if key and key in seen:
                    raise RowError(f"{key} appears again (first on row {seen[key].row}).")
        except RowError as e:
            self.fail(row, e)
            for ref in (f"id:{row.get('ID')}", row.get("SKU")):
                self.failed_refs.setdefault(ref.lower(), row.number)
            return
        if product.woocommerce_id:
            self.by_id[product.woocommerce_id] = product
        if product.sku:
            self.by_sku[product.sku] = product
        self.products.append(product)

    def add_variation(self, row):
        try:
            parent = self._parent(row.get("Parent"))
            parent.variation_rows.append(row.number)
            pack = _pack(row, self.today)
            clash = next((p for p in parent.packs if p.quantity == pack.quantity), None)
            if clash:
                raise RowError(
                    f"{pack.quantity} is already a pack size of '{parent.title}' (row {clash.row})."
                )
            parent.packs.append(pack)
        except RowError as e:
            self.fail(row, e)

    def _parent(self, parent_ref):
        """The product a variation's Parent ("id:NNN" or a SKU) names."""
        if not parent_ref:
            raise RowError("the variation has no Parent.")
        if parent_ref.lower().startswith("id:"):
            ref = parent_ref[3:].strip()
            parent = self.by_id.get(int(ref)) if ref.isdigit() else None
        else:
            parent = self.by_sku.get(parent_ref)
        if parent is None and parent_ref.lower() in self.failed_refs:
            raise RowError(
                f"its Parent {parent_ref!r} failed (row {self.failed_refs[parent_ref.lower()]})."
            )
        if parent is None:
            raise RowError(f"its Parent {parent_ref!r} is not a product in this file.")
        return parent

    def finish(self):
        """(products, outcomes): a product with a failed variation fails with it."""
        failed_rows = {o.row for o in self.outcomes if o.status == "failed"}
        for product in list(self.products):
            if not product.packs and not product.variation_rows and product.is_variable:
                product.notes.append("It has no variations, so it has no pack sizes.")
            bad = sorted(set(product.variation_rows) & failed_rows)
            if bad:
                self.products.remove(product)
                rows_text = ", ".join(str(n) for n in bad)
                message = f"not imported because its variation(s) on row {rows_text} failed."
                self.outcomes.append(Outcome(product.row, "failed", product.title, message))
        return self.products, self.outcomes
