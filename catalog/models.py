"""Product pages, the products index, pack sizes and categories."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.forms import BaseChildFormSet
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .blocks import ProductBodyBlock, SectionBlock, section_anchor
from .medicine import ActiveIngredient, MedicineFacts, ProductIngredient  # noqa: F401
from .page_permissions import MedicinePagePermissions
from .readiness_panel import ReadinessPanel
from .reviews.models import displayed_reviews
from .routing import SpecificChildRoutingMixin, routed_ancestors
from .serializers import (
    ApprovedReviewsField,
    CategorySerializer,
    CurrencyField,
    MedicineSerializer,
    PackSizeSerializer,
)
from .slugs import first_free

PRODUCTS_PER_PAGE = 12
# The "Medical reviews due" report lists pages due within this many days (and overdue ones).
REVIEW_DUE_WITHIN_DAYS = 30
PACK_QUANTITY_MAX = 10_000
# Above every quantity an editor can enter: see ProductPage._move_changed_pack_quantities_aside.
PACK_QUANTITY_ASIDE = 1_000_000


class LegalStatus(models.TextChoices):
    PRESCRIPTION_ONLY = "pom", "Prescription-only medicine"
    PHARMACY = "p", "Pharmacy medicine"
    GENERAL_SALE = "gsl", "General sale"


class ProductCategory(models.Model):
    """A therapeutic category (e.g. "Muscle relaxants"), managed as a snippet."""

    name = models.CharField(
        max_length=80,
        unique=True,
        help_text="The category as visitors see it on product pages, e.g. 'Muscle relaxants'.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in links to the filtered product list, e.g. 'muscle-relaxants'.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = "product category"
        verbose_name_plural = "product categories"

    def __str__(self):
        return self.name


def _pack_price(order):
    """The price of the product's first pack in `order` (a subquery per row)."""
    packs = PackSize.objects.filter(page=OuterRef("pk")).order_by(order).values("price")[:1]
    return Subquery(packs)


class ProductPageQuerySet(PageQuerySet):
    def with_lowest_price(self):
        """Annotate each product with its cheapest pack's price, in the same query.

        A correlated subquery, not Min() over a join: that would GROUP BY every column
        of the page (body included), which made the index's last page of 10,000
        products slower than its first."""
        return self.annotate(lowest_price=_pack_price("price"))

    def with_price_range(self):
        """Annotate the cheapest and dearest pack prices, in the same query."""
        return self.annotate(lowest_price=_pack_price("price"), highest_price=_pack_price("-price"))

    def medical_review_due(self, today, within_days=REVIEW_DUE_WITHIN_DAYS):
        """Pages whose next medical review is overdue or due within `within_days` of `today`."""
        return self.filter(next_review_due__lte=today + timedelta(days=within_days))


class ProductIndexPage(MedicinePagePermissions, SpecificChildRoutingMixin, Page):
    """/products/: the published products, optionally filtered by category."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A short introduction shown above the list of products.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["catalog.ProductPage"]
    max_count_per_parent = 1

    def products(self, category_slug=None):
        products = (
            ProductPage.objects.child_of(self).live().public().with_lowest_price().order_by("title")
        )
        if category_slug:
            products = products.filter(categories__slug=category_slug)
        return products

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = None
        slug = request.GET.get("category")
        if slug:
            category = ProductCategory.objects.filter(slug=slug).first()
        paginator = Paginator(self.products(category.slug if category else None), PRODUCTS_PER_PAGE)
        # get_page() turns a bad or out-of-range ?page= into a valid page, never a 500.
        context["products"] = paginator.get_page(request.GET.get("page"))
        context["category"] = category
        return context


class PackSizeFormSet(BaseChildFormSet):
    """modelcluster's check of PackSize's unique constraint, in the editor's words."""

    def get_unique_error_message(self, unique_check):
        return "Two packs have the same quantity: each pack size needs its own quantity."

    def get_form_error(self):
        return "Another pack already has this quantity: change one of them."


class PackSizesPanel(InlinePanel):
    """The pack sizes, validated by PackSizeFormSet."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = PackSizeFormSet
        return options


class ProductPageForm(WagtailAdminPageForm):
    """Submitting to Medical sign-off is refused, with what to fix, while a readiness
    check fails (catalog/readiness.py); saving a draft never is."""

    def is_valid(self):
        # The inline forms are cleaned after the page form, so check them here.
        valid = super().is_valid()
        if valid and "action-submit" in self.data:
            valid = self._ready_for_sign_off()
        return valid

    def _rows(self, name):
        """The inline rows as typed (saved or not), without the ones marked for deletion."""
        formset = self.formsets.get(name)
        return [
            form.instance
            for form in getattr(formset, "forms", [])
            if form.has_changed() or form.instance.pk
            if not (getattr(form, "cleaned_data", None) or {}).get("DELETE")
        ]

    def _ready_for_sign_off(self):
        """Submitting to Medical sign-off: refused, with what to fix, while a check fails."""
        from .readiness import Draft, failures, run_checks

        page = self.instance
        draft = Draft(
            page=page,
            blocks=[(block.block_type, block.value) for block in page.body],
            ingredients=self._rows("ingredients"),
            packs=self._rows("pack_sizes"),
        )
        self.readiness_results = run_checks(draft)
        failed = failures(self.readiness_results)
        for result in failed:
            self.add_error(
                None,
                f"Not ready for medical sign-off: {result.name.lower()}. "
                + " ".join(result.problems),
            )
        return not failed


class ProductPage(MedicinePagePermissions, RoutablePageMixin, MedicineFacts, Page):
    """A medicine's information page: sections, pack sizes and product facts."""

    summary = models.TextField(
        max_length=300,
        help_text="One or two plain sentences. Used in product listings and as the "
        "search-engine description.",
    )
    sku = models.CharField(
        "SKU",
        max_length=64,
        blank=True,
        help_text="Stock-keeping unit. Leave blank if there is none: the page shows 'SKU: N/A'.",
    )
    categories = ParentalManyToManyField(
        ProductCategory,
        blank=True,
        related_name="products",
        help_text="Shown on the page as 'Category:' links. Leave empty to hide the line.",
    )
    free_shipping = models.BooleanField(
        default=False, help_text="Shows the free-shipping badge on the page and in listings."
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional pack shot. Give the image a meaningful title: it is the alt text.",
    )
    legal_status = models.CharField(
        max_length=3,
        choices=LegalStatus.choices,
        default=LegalStatus.PRESCRIPTION_ONLY,
        help_text="How the medicine may be supplied. Shown on the page.",
    )
    body = StreamField(
        ProductBodyBlock(),
        blank=True,
        help_text="The information sections, in the order visitors read them.",
    )
    accept_reviews = models.BooleanField(
        default=False,
        help_text="Show customer reviews and the review form. Many pharmacies may not publish "
        "testimonials for prescription-only medicines: check before turning this on.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When a qualified person last checked this page."
    )
    reviewed_by = models.CharField(
        max_length=150,
        blank=True,
        help_text="Name and credentials of the reviewer, e.g. 'A. Patel, MPharm'.",
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="When the page must be checked again."
    )
    woocommerce_id = models.PositiveBigIntegerField(
        "WooCommerce ID",
        null=True,
        blank=True,
        unique=True,
        help_text="The product's ID in the WooCommerce shop it was imported from. "
        "Re-imports update this page.",
    )

    objects = PageManager.from_queryset(ProductPageQuerySet)()

    # A copy is a new product: it must not claim the original's shop identity (SKU, shop ID).
    exclude_fields_in_copy = ["woocommerce_id", "sku"]

    base_form_class = ProductPageForm
    parent_page_types = ["catalog.ProductIndexPage"]
    subpage_types = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("sku"),
        index.FilterField("legal_status"),
    ]

    # The read API (/api/v2/products/): what other apps may show of a product.
    api_fields = [
        APIField("summary"),
        APIField("sku"),
        APIField("legal_status"),
        APIField(
            "legal_status_label",
            serializer=serializers.CharField(source="get_legal_status_display", read_only=True),
        ),
        APIField("free_shipping"),
        APIField("currency", serializer=CurrencyField()),
        APIField("pack_sizes", serializer=PackSizeSerializer(many=True, read_only=True)),
        APIField("categories", serializer=CategorySerializer(many=True, read_only=True)),
        APIField("average_rating", serializer=ApprovedReviewsField("average")),
        APIField("review_count", serializer=ApprovedReviewsField("count")),
        APIField("last_reviewed"),
        APIField("body"),
        APIField("medicine", serializer=MedicineSerializer(source="*", read_only=True)),
    ]

    content_panels = [
        *Page.content_panels,
        ReadinessPanel(heading="Ready for medical sign-off?"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    medicine_panels = [
        InlinePanel(
            "ingredients",
            heading="Active ingredients",
            label="Active ingredient",
            min_num=0,
            help_text="Each active ingredient with its strength per unit, e.g. Baclofen 40 mg.",
        ),
        *MedicineFacts.medicine_panels,
    ]
    product_panels = [
        FieldRowPanel([FieldPanel("sku"), FieldPanel("legal_status")]),
        FieldPanel("free_shipping"),
        FieldPanel("categories"),
        FieldPanel("image"),
        FieldPanel("woocommerce_id", read_only=True),
        PackSizesPanel(
            "pack_sizes",
            heading="Pack sizes",
            label="Pack size",
            min_num=0,
            help_text="Drag to reorder. The first pack in stock is preselected on the page.",
        ),
    ]
    review_panels = [
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("reviewed_by"), FieldPanel("next_review_due")],
            heading="Medical review",
        ),
        FieldPanel("accept_reviews"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(product_panels, heading="Product"),
            ObjectList(medicine_panels, heading="Medicine"),
            ObjectList(review_panels, heading="Review"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    class Meta:
        verbose_name = "product page"
        constraints = [
            models.UniqueConstraint(
                fields=["sku"], condition=~Q(sku=""), name="catalog_product_unique_sku"
            )
        ]

    def clean(self):
        super().clean()
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            raise ValidationError(
                {"next_review_due": "The next review must be due after the last review date."}
            )

    def save(self, *args, **kwargs):
        if self.pk:
            self._move_changed_pack_quantities_aside()
        super().save(*args, **kwargs)

    def _move_changed_pack_quantities_aside(self):
        """Publishing saves the packs one row at a time, so swapping two packs' quantities
        would meet the unique constraint half-way; the rows whose quantity changes are first
        moved out of the editable range (they are saved with their new quantity next)."""
        stored = dict(PackSize.objects.filter(page=self).values_list("pk", "quantity"))
        changed = [
            p.pk for p in self.pack_sizes.all() if p.pk in stored and stored[p.pk] != p.quantity
        ]
        if changed:
            PackSize.objects.filter(pk__in=changed).update(
                quantity=F("quantity") + PACK_QUANTITY_ASIDE
            )

    @property
    def is_prescription_only(self):
        return self.legal_status == LegalStatus.PRESCRIPTION_ONLY

    def sections(self):
        """(block, anchor) for each section; anchors are unique within the page."""
        used = set()
        return [
            (block, first_free(section_anchor(block.value["heading"]), used))
            if isinstance(block.block, SectionBlock)
            else (block, None)
            for block in self.body
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pack_sizes = list(self.pack_sizes.all())
        breadcrumbs = routed_ancestors(self)
        sections = self.sections()
        context.update(
            breadcrumbs=breadcrumbs,
            product_index=breadcrumbs[-1] if breadcrumbs else None,
            sections=sections,
            contents=[(block.value["heading"], anchor) for block, anchor in sections if anchor],
            pack_sizes=pack_sizes,
            selected_pack=next((p for p in pack_sizes if p.in_stock), None),
            categories=list(self.categories.all()),
            ingredients=list(self.ingredients.select_related("ingredient")),
        )
        if self.accept_reviews:
            reviews, number = displayed_reviews(self, request.GET.get("reviews"))
            context.update(reviews=reviews, reviews_page_number=number)
        return context

    # The view behind the review form's route, plugged in by CatalogConfig.ready()
    # (catalog/apps.py): page models import no views.
    review_view = None

    @path("reviews/add/", name="add_review")
    def add_review(self, request):
        return type(self).review_view(self, request)


class PackSize(Orderable):
    """One purchasable quantity of a product (e.g. 90 tablets), with its price."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="pack_sizes")
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(PACK_QUANTITY_MAX)],
        help_text="Units in the pack, e.g. 90. Each pack of a product needs its own quantity.",
    )
    unit = models.CharField(max_length=30, default="tablets", help_text="e.g. tablets, capsules")
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Price of the whole pack.",
    )
    previous_price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Optional earlier price, shown struck through. Must be higher than the price.",
    )
    in_stock = models.BooleanField(
        default=True, help_text="Out-of-stock packs are shown but cannot be chosen."
    )

    panels = [
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("price"), FieldPanel("previous_price")]),
        FieldPanel("in_stock"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "pack size"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "quantity"], name="catalog_pack_unique_quantity_per_product"
            )
        ]

    def __str__(self):
        return f"{self.quantity} {self.unit}"

    def clean(self):
        super().clean()
        if (
            self.previous_price is not None
            and self.price is not None
            and self.previous_price <= self.price
        ):
            raise ValidationError(
                {"previous_price": "The previous price must be higher than the current price."}
            )

    @property
    def price_per_unit(self):
        return (self.price / self.quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def unit_singular(self):
        """'tablets' -> 'tablet', for 'per tablet'."""
        return self.unit[:-1] if self.unit.endswith("s") else self.unit


# The standard texts, sign-off task, Review and cart models live in their own modules; importing
# them here registers them with this app.
from .cart.models import Cart, CartLine  # noqa: E402, F401
from .reviews.models import Review  # noqa: E402, F401
from .signoff import MedicalSignOffTask  # noqa: E402, F401
from .standard_text import StandardText  # noqa: E402, F401
