"""Cart and CartLine, and the rules for changing a cart."""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

MAX_COUNT = 99  # packs of one pack size in one line
MAX_LINES = 50  # different pack sizes in one cart
# Said of every pack a visitor may not see, whatever the reason (availability.py).
NOT_AVAILABLE = "That pack is not available."


class CartError(Exception):
    """A change the cart refuses; the message is shown to the visitor as is."""


def new_token():
    return secrets.token_hex(32)


def pack_label(pack):
    """'Baclofen 40 mg — 90 tablets': how a pack is named in the cart and in messages."""
    return f"{pack.page.title} — {pack}"


@dataclass
class Added:
    line: "CartLine"
    requested: int
    added: int  # less than requested when the line reached MAX_COUNT


class Cart(models.Model):
    """A visitor's cart. Anonymous: found only through the token in their session."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="Last change; purge_carts uses it."
    )

    class Meta:
        verbose_name = "cart"

    def __str__(self):
        return f"Cart {self.pk}"

    def _lock(self):
        """Touch the cart in the transaction: the row lock serialises concurrent changes."""
        Cart.objects.filter(pk=self.pk).update(updated_at=timezone.now())

    def add(self, pack, count, refusal=None):
        """Add `count` packs, merging into the pack's line; capped at MAX_COUNT a line.

        `refusal(lines)`, if given, is asked under the cart's lock with the cart's lines: a
        message refuses the add (the supply rules' limits, catalog/supply.py)."""
        check_addable(pack, count)
        try:
            with transaction.atomic():
                return self._add(pack, count, refusal)
        except IntegrityError:
            # Two first adds of one pack raced past the lock (SQLite has no row locks):
            # the line exists now, so the second try merges into it.
            with transaction.atomic():
                return self._add(pack, count, refusal)

    def _add(self, pack, count, refusal=None):
        self._lock()
        if refusal is not None:
            reason = refusal(list(self.lines.select_related("pack__page")))
            if reason:
                raise CartError(reason)
        line = self.lines.filter(pack=pack).first()
        if line is None:
            if self.lines.count() >= MAX_LINES:
                raise CartError(
                    f"Your cart already has {MAX_LINES} different items, the most it can hold. "
                    "Remove one before adding another."
                )
            line = self.lines.create(
                pack=pack, count=count, description=pack_label(pack), price_when_added=pack.price
            )
            return Added(line, count, count)
        added = min(count, MAX_COUNT - line.count)
        if added <= 0:
            raise CartError(
                f"Your cart already has {MAX_COUNT} packs of {pack_label(pack)}, the most one "
                "order can hold."
            )
        line.count += added
        line.price_when_added = pack.price
        line.description = pack_label(pack)
        line.save(update_fields=["count", "price_when_added", "description"])
        return Added(line, count, added)

    def set_count(self, line_id, count):
        check_count(count)
        with transaction.atomic():
            self._lock()
            if not self.lines.filter(pk=line_id).update(count=count):
                raise CartError("That item is not in your cart any more.")

    def remove(self, line_id):
        with transaction.atomic():
            self._lock()
            line = self.lines.filter(pk=line_id).first()
            if line is None:
                raise CartError("That item is not in your cart any more.")
            line.delete()
        return line


def check_addable(pack, count):
    """Raise CartError unless `count` packs of `pack` may be added to a cart."""
    check_count(count)
    if not pack.page.live:
        raise CartError(NOT_AVAILABLE)
    if not pack.in_stock:
        raise CartError(f"{pack_label(pack)} is out of stock.")


def check_count(count):
    if not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise CartError(f"Choose a number of packs from 1 to {MAX_COUNT}.")


class CartLine(models.Model):
    """One pack size in a cart. The price is read from the pack whenever it is shown."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    pack = models.ForeignKey(
        "catalog.PackSize",
        null=True,
        on_delete=models.SET_NULL,  # keep the line to tell the visitor it is no longer sold
        related_name="cart_lines",
    )
    count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)]
    )
    description = models.CharField(
        max_length=300, help_text="Product and pack when last added, shown if the pack is deleted."
    )
    price_when_added = models.DecimalField(max_digits=8, decimal_places=2)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cart line"
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "pack"], name="catalog_cartline_one_per_pack"),
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=MAX_COUNT),
                name="catalog_cartline_count_range",
            ),
        ]

    def __str__(self):
        return f"{self.count} × {self.description}"

    @property
    def product(self):
        return self.pack.page if self.pack else None

    # Set by availability.cart_contents: True when its visitor may not see the pack's page,
    # and the supply rules' problems with the line (catalog/supply.py: LineProblem).
    hidden = False
    supply_problems = ()
    promoted = True  # False: its free-shipping badge is not shown (a POM, supply rules)

    @property
    def is_unavailable(self):
        """Deleted, unpublished or closed to this visitor: shown without its title."""
        return self.pack is None or self.hidden or not self.pack.page.live

    @property
    def label(self):
        """How the line is named to the visitor: never the title of a page closed to them."""
        return "An item no longer available" if self.is_unavailable else self.description

    @property
    def problem(self):
        """Why the line cannot be ordered now, or None."""
        if self.is_unavailable:
            return "No longer available."
        for problem in self.supply_problems:
            if problem.blocks_line:  # a prescription-only medicine under "consultation first"
                return str(problem)
        if not self.pack.in_stock:
            return "Out of stock at the moment."
        return None

    @property
    def limit_problems(self):
        """Over a quantity limit: the line may be ordered with fewer packs."""
        if self.problem is not None:
            return []
        return [str(problem) for problem in self.supply_problems if not problem.blocks_line]

    @property
    def price_changed(self):
        return self.pack is not None and self.pack.price != self.price_when_added

    @property
    def total(self):
        return self.pack.price * self.count if self.pack else Decimal("0")


class CartContents:
    """A cart's lines as shown: totals count only the lines that can be ordered."""

    def __init__(self, lines):
        self.lines = list(lines)

    @cached_property
    def available_lines(self):
        return [line for line in self.lines if line.problem is None]

    @cached_property
    def unavailable_lines(self):
        return [line for line in self.lines if line.problem is not None]

    @cached_property
    def count(self):
        return sum(line.count for line in self.available_lines)

    @cached_property
    def subtotal(self):
        return sum((line.total for line in self.available_lines), Decimal("0"))

    @cached_property
    def over_limits(self):
        """Some lines hold more than a quantity limit allows: no order until reduced."""
        return any(line.limit_problems for line in self.available_lines)

    @cached_property
    def needs_prescription(self):
        return any(line.product.is_prescription_only for line in self.available_lines)

    def __len__(self):
        return len(self.lines)
