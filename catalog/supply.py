"""What a product's legal status lets visitors see and do, under the pharmacy's supply settings.

A medicine is not merchandise: the rules (docs/supply-rules.md) live here, and views,
templates, the JSON-LD, the read API and the cart ask this module; no template repeats them.

    rules = SupplyRules.for_request(request)      # or SupplyRules.from_settings(settings)
    rules.may_add_to_cart(product)                 # False for a POM under "consultation first"
    rules.needs_consultation(product)              # the page shows the consultation call to action
    rules.allows_promotion(product)                # reviews, ratings, badges, previous prices, offers
    rules.shows_prices(product)                    # a price in listings (index, search, home)
    rules.refusal_to_add(pack, count, lines)       # why /cart/add/ refuses, or None
    rules.cart_problems(lines)                     # [[LineProblem, ...] for each line]
    rules.describe(product)                        # the sentence of the product editor's panel

`cart_problems(lines)` is what the cart page and the checkout ask before an order: `lines` is
any sequence of objects with `.pack` (a PackSize with its `.page`, or None for a deleted pack)
and `.count` (packs). It returns a list as long as `lines`, in the same order: for each line
the LineProblems it has (empty when it may be ordered). A problem's `kind` is CONSULTATION
(a POM under "consultation first": the line cannot be ordered at all), PACK_LIMIT or
UNIT_LIMIT (too many: fewer packs would do); `str(problem)` is the sentence for the visitor.
Ingredient limits cost one query for the whole cart, whatever its size.

Imports home.site_settings and catalog.medicine only: page models and views import this.
"""

from collections import defaultdict
from dataclasses import dataclass

from home.site_settings import PharmacySettings, PrescriptionOnlySupply

CONSULTATION = "consultation"
PACK_LIMIT = "pack_limit"
UNIT_LIMIT = "unit_limit"


@dataclass(frozen=True)
class LineProblem:
    kind: str
    message: str

    @property
    def blocks_line(self):
        """A consultation problem: no number of packs of this line may be ordered."""
        return self.kind == CONSULTATION

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class UnitLimit:
    """An active ingredient's limit on the units one order may hold (ActiveIngredient)."""

    ingredient_id: int
    name: str
    most: int


def packs_word(number):
    return f"{number} pack{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class SupplyRules:
    prescription_only_supply: str = PrescriptionOnlySupply.CONSULTATION_FIRST
    promote_prescription_only: bool = False

    @classmethod
    def from_settings(cls, settings):
        return cls(settings.prescription_only_supply, settings.promote_prescription_only)

    @classmethod
    def for_request(cls, request):
        """The rules of the request's site; Wagtail caches the settings on the request."""
        return cls.from_settings(PharmacySettings.load(request_or_site=request))

    @property
    def consultation_first(self):
        return self.prescription_only_supply == PrescriptionOnlySupply.CONSULTATION_FIRST

    # What a product's page, listings and data show.

    def needs_consultation(self, product):
        return product.is_prescription_only and self.consultation_first

    def may_add_to_cart(self, product):
        return not self.needs_consultation(product)

    def needs_prescription(self, product):
        """Prescription required before dispatch (the cart says so in either mode)."""
        return product.is_prescription_only

    def allows_promotion(self, product):
        """Reviews, ratings, badges, previous prices and offers: never for a POM unless the
        pharmacy turned promotion on (HMR 2012 reg 284, Art 88 of Directive 2001/83)."""
        return not product.is_prescription_only or self.promote_prescription_only

    def shows_prices(self, product):
        """A price in listings; the page itself always shows a plain price list."""
        return self.allows_promotion(product)

    def shows_reviews(self, product):
        return product.accept_reviews and self.allows_promotion(product)

    def shows_free_shipping(self, product):
        return product.free_shipping and self.allows_promotion(product)

    def for_product(self, product):
        return ProductSupply(self, product)

    # The cart and the checkout.

    def refusal_to_add(self, pack, count, lines=()):
        """Why adding `count` packs of `pack` to a cart holding `lines` is refused, or None.

        The first problem of the pack's line once added, named for the visitor."""
        product = pack.page
        if self.needs_consultation(product):
            return (
                f"{product.title} is a prescription-only medicine: a prescriber must consult "
                "with you before it can be supplied, so it cannot be added to the cart. The "
                "product page says how to start a consultation. Nothing was added."
            )
        after = [_Line(line.pack, line.count) for line in lines if line.pack is not None]
        mine = next((line for line in after if line.pack.pk == pack.pk), None)
        if mine is None:
            after.append(_Line(pack, count))
        else:
            mine.count += count
        for problem in self._limit_problems(after, pack):
            return f"{problem} Nothing was added."
        return None

    def cart_problems(self, lines):
        """[[LineProblem, ...] for each of `lines`] (see the module docstring)."""
        lines = list(lines)
        limits = unit_limits({line.pack.page_id for line in lines if line.pack is not None})
        packs_of = defaultdict(int)
        units_of = defaultdict(int)
        for line in lines:
            if line.pack is None:
                continue
            packs_of[line.pack.page_id] += line.count
            for limit in limits.get(line.pack.page_id, ()):
                units_of[limit.ingredient_id] += line.pack.quantity * line.count
        return [self._line_problems(line, limits, packs_of, units_of) for line in lines]

    def _line_problems(self, line, limits, packs_of, units_of):
        if line.pack is None:
            return []
        product = line.pack.page
        if self.needs_consultation(product):
            return [
                LineProblem(
                    CONSULTATION,
                    "Prescription-only: it can only be supplied after a consultation with our "
                    "prescriber.",
                )
            ]
        problems = []
        most = product.max_packs_per_order
        if most and packs_of[product.pk] > most:
            problems.append(
                LineProblem(
                    PACK_LIMIT,
                    f"One order may hold at most {packs_word(most)} of {product.title}: "
                    "reduce the number of packs.",
                )
            )
        for limit in limits.get(product.pk, ()):
            if units_of[limit.ingredient_id] > limit.most:
                problems.append(
                    LineProblem(
                        UNIT_LIMIT,
                        f"One order may hold at most {limit.most} {line.pack.unit} of "
                        f"{limit.name.lower()}, across all the products that contain it: "
                        "reduce the number of packs.",
                    )
                )
        return problems

    def _limit_problems(self, lines, pack):
        """The limit problems of `pack`'s line among `lines`."""
        problems = self.cart_problems(lines)
        for line, found in zip(lines, problems, strict=True):
            if line.pack.pk == pack.pk:
                return found
        return []

    # The product editor's panel.

    def describe(self, product):
        """What visitors can do with `product` under these settings, in one or two sentences."""
        status = product.get_legal_status_display()
        if self.needs_consultation(product):
            sentence = (
                f"{status}: visitors see a price list and start a consultation with a "
                "prescriber; they cannot add it to the cart"
            )
        elif product.is_prescription_only:
            sentence = (
                f"{status}: visitors choose a pack and add it to the cart, marked "
                "'Prescription required'; the pharmacy checks their prescription before dispatch"
            )
        else:
            sentence = f"{status}: visitors choose a pack and add it to the cart"
        if not self.allows_promotion(product):
            sentence += (
                "; reviews, ratings, the free-shipping badge and previous prices are hidden, "
                "and listings show no price"
            )
        elif product.accept_reviews:
            sentence += "; reviews are shown"
        return sentence + "." + self._describe_limits(product)

    def _describe_limits(self, product):
        parts = []
        if product.max_packs_per_order:
            parts.append(f" One order may hold at most {packs_word(product.max_packs_per_order)}.")
        for limit in unit_limits({product.pk}).get(product.pk, ()):
            parts.append(f" {limit.name}: at most {limit.most} units an order, across products.")
        return "".join(parts)


@dataclass
class _Line:
    pack: object
    count: int


def unit_limits(product_ids):
    """{product id: [UnitLimit, ...]} for the products' ingredients that have a limit."""
    from .medicine import ProductIngredient

    if not product_ids:
        return {}
    rows = ProductIngredient.objects.filter(
        page_id__in=product_ids, ingredient__max_units_per_order__isnull=False
    ).values_list("page_id", "ingredient_id", "ingredient__name", "ingredient__max_units_per_order")
    limits = defaultdict(list)
    for page_id, ingredient_id, name, most in rows:
        limits[page_id].append(UnitLimit(ingredient_id, name, most))
    return limits


@dataclass(frozen=True)
class ProductSupply:
    """The rules for one product, as templates read them ({{ supply.may_add_to_cart }})."""

    rules: SupplyRules
    product: object

    @property
    def may_add_to_cart(self):
        return self.rules.may_add_to_cart(self.product)

    @property
    def needs_consultation(self):
        return self.rules.needs_consultation(self.product)

    @property
    def allows_promotion(self):
        return self.rules.allows_promotion(self.product)

    @property
    def shows_prices(self):
        return self.rules.shows_prices(self.product)

    @property
    def shows_reviews(self):
        return self.rules.shows_reviews(self.product)

    @property
    def shows_free_shipping(self):
        return self.rules.shows_free_shipping(self.product)
