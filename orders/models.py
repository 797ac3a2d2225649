"""Orders: a customer's request, its lines as they were ordered, and its history.

An order is a request, not a sale: no payment is taken online. Every order goes through a
pharmacist's check before anything leaves the pharmacy. Each change of status is a
StatusChange row, which is never deleted (the permission policy allows no deletion, and
deleting one raises). The rules for changing a status are in services.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# No 0/O, 1/I/L, 5/S, 2/Z: a reference read out on the phone is not misheard.
REFERENCE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
REFERENCE_LENGTH = 5
REFERENCE_PREFIX = "FM-"
REMOVED = "[removed]"


def new_reference():
    """'FM-7K3Q9': short enough to read out, random so it tells nothing about other orders."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return REFERENCE_PREFIX + code


def new_status_token():
    """The secret in the customer's status link: 256 random bits, never the order's id."""
    return secrets.token_urlsafe(32)


class OrderStatus(models.TextChoices):
    RECEIVED = "received", "Received: awaiting the pharmacist's check"
    AWAITING_PRESCRIPTION = "awaiting_prescription", "Awaiting prescription"
    PRESCRIBED = "prescribed", "Prescribed: awaiting the pharmacist's check"
    QUERIED = "queried", "Queried: waiting for the customer's answer"
    CHECK_PASSED = "check_passed", "Clinical check passed"
    REFUSED = "refused", "Refused"
    DISPATCHED = "dispatched", "Dispatched"
    READY_FOR_COLLECTION = "ready_for_collection", "Ready for collection"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


AWAITING_CHECK = (OrderStatus.RECEIVED, OrderStatus.PRESCRIBED)
CLOSED = (OrderStatus.REFUSED, OrderStatus.COMPLETED, OrderStatus.CANCELLED)
# What purge_orders may anonymise once the retention period has passed.
PURGEABLE = (OrderStatus.COMPLETED, OrderStatus.CANCELLED)


class Fulfilment(models.TextChoices):
    DELIVERY = "delivery", "Deliver to my address"
    COLLECTION = "collection", "Collect from the pharmacy"


class OrderQuerySet(models.QuerySet):
    def awaiting_check(self):
        return self.filter(status__in=AWAITING_CHECK)

    def in_queue_order(self):
        """Awaiting the check first, then those in progress, then closed ones; oldest first."""
        rank = models.Case(
            models.When(status__in=AWAITING_CHECK, then=0),
            models.When(status__in=CLOSED, then=2),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.annotate(queue_rank=rank).order_by("queue_rank", "created_at", "pk")


class Order(models.Model):
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    status_token = models.CharField(
        max_length=64, unique=True, default=new_status_token, editable=False
    )
    # From the checkout form: the same submission twice finds this order instead of a new one.
    idempotency_key = models.CharField(  # noqa: DJ001 - NULL: anonymised, or made elsewhere
        max_length=64, unique=True, null=True, editable=False
    )
    status = models.CharField(
        max_length=30, choices=OrderStatus.choices, default=OrderStatus.RECEIVED, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    # The customer: only what the check and the delivery need.
    name = models.CharField(max_length=120)
    email = models.EmailField(db_index=True)
    phone = models.CharField(max_length=20)
    date_of_birth = models.DateField(null=True)
    fulfilment = models.CharField(max_length=20, choices=Fulfilment.choices)
    address_line_1 = models.CharField("address line 1", max_length=120, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    note_to_pharmacist = models.TextField(blank=True)
    agreed_to_terms_at = models.DateTimeField(null=True)

    subtotal = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    tracking_reference = models.CharField(max_length=100, blank=True)

    # Set for orders made from a prescriber's approval (services.place_prescribed_order).
    prescriber = models.CharField(max_length=200, blank=True)
    consultation_reference = models.CharField(max_length=100, blank=True)

    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "order"
        ordering = ["-created_at", "-pk"]
        permissions = [("export_order", "Can export a customer's orders")]

    def __str__(self):
        return self.reference

    @property
    def is_delivery(self):
        return self.fulfilment == Fulfilment.DELIVERY

    @property
    def awaits_check(self):
        return self.status in AWAITING_CHECK

    @property
    def address_lines(self):
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return [part for part in parts if part]


class OrderLine(models.Model):
    """A line as it was ordered: names and price are copied, whatever happens to the pack."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    pack = models.ForeignKey(
        "catalog.PackSize", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.ForeignKey(
        "catalog.ProductPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_title = models.CharField(max_length=255)
    pack_description = models.CharField(max_length=100)
    legal_status = models.CharField(max_length=10)
    count = models.PositiveSmallIntegerField()
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)
    # A pharmacy medicine's questions as the customer answered them before adding the pack
    # ([{"question", "answer", "flag"}], consultations/pharmacy.py): health data, shown only
    # in the pharmacist's clinical check, removed with the customer's details.
    pharmacy_answers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "order line"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.count} × {self.product_title} — {self.pack_description}"

    @property
    def total(self):
        return self.unit_price * self.count


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("An order's history is never deleted.")


class StatusChange(models.Model):
    """One change of an order's status: who, when, why. Never deleted.

    `note` is for the pharmacy only; `message_to_customer` is shown on the customer's status
    page (never in an email); `customer_reply` is the customer's answer to a query.
    """

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=OrderStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(max_length=150, help_text="Kept if the user is deleted.")
    note = models.TextField(blank=True)
    message_to_customer = models.TextField(blank=True)
    customer_reply = models.TextField(blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        verbose_name = "status change"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.order} → {self.get_to_status_display()}"

    def delete(self, *args, **kwargs):
        raise PermissionError("An order's history is never deleted.")


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Order confirmation"
    STATUS = "status", "Status change"


class OrderEmail(models.Model):
    """An email to the customer, sent after the commit; failures are kept for a retry
    (`manage.py send_order_emails`) and shown on the order in the admin."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="emails")
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    status = models.CharField(max_length=30, choices=OrderStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # No longer to be sent (the order was anonymised before it went).
    abandoned = models.BooleanField(default=False)

    class Meta:
        verbose_name = "order email"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.order}"
