"""Placing orders and changing their status: the rules, in one place.

Views and the admin only call these functions. Every change runs in a transaction with the
order's row locked, records a StatusChange (who, when, a note, any message to the customer)
and queues the customer's email, which is sent after the commit (emails.py).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.cart.availability import cart_contents
from catalog.cart.models import Cart
from home.site_settings import PharmacySettings

from .checks import Problem, line_problems, needs_prescription
from .emails import queue_email
from .models import (
    AWAITING_CHECK,
    REMOVED,
    EmailKind,
    Fulfilment,
    Order,
    OrderLine,
    OrderStatus,
    StatusChange,
    new_reference,
    new_status_token,
)
from .signals import order_placed

S = OrderStatus
CUSTOMER = "Customer"
DETAIL_FIELDS = (
    "name",
    "email",
    "phone",
    "date_of_birth",
    "fulfilment",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "note_to_pharmacist",
)


class OrderError(Exception):
    """A change the rules refuse; the message is shown as it is."""


@dataclass
class Placed:
    order: Order | None = None
    problems: list = field(default_factory=list)  # checks.Problem
    repeated: bool = False  # the same submission again: the order it made the first time

    @property
    def ok(self):
        return self.order is not None


def place_order(cart, details, *, request, idempotency_key, seen_prices=None):
    """Turn the cart (a Cart) into an order for the customer `details` (the checkout form's
    cleaned data), once: a second call with the same `idempotency_key` returns the first
    order. The cart's row is locked while the order is made, so two submissions of one cart
    are made one after the other; lines that cannot be ordered stop it with their reasons."""
    with transaction.atomic():
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return Placed(order=existing, repeated=True)
        # Touching the cart's row locks it until the commit, as every change to a cart does.
        if cart is None or not Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now()):
            return Placed(problems=[_empty()])
        existing = Order.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:  # the other submission committed while this one waited
            return Placed(order=existing, repeated=True)
        lines = cart_contents(request, cart.token).lines
        if not lines:
            return Placed(problems=[_empty()])
        problems = line_problems(lines, request, seen_prices)
        if problems:
            return Placed(problems=problems)
        status = S.AWAITING_PRESCRIPTION if needs_prescription(lines, request) else S.RECEIVED
        order = _new_order(details, status, request, idempotency_key=idempotency_key)
        order.subtotal = sum(line.pack.price * line.count for line in lines)
        if not _save_new(order):
            return Placed(order=Order.objects.get(idempotency_key=idempotency_key), repeated=True)
        OrderLine.objects.bulk_create(
            [_line_from_pack(order, line.pack, line.count) for line in lines]
        )
        order_placed.send(sender=Order, order=order, request=request)
        _record(order, "", status, by_name=CUSTOMER, note="Placed at checkout.")
        cart.lines.all().delete()
        queue_email(order, EmailKind.CONFIRMATION)
    return Placed(order=order)


def place_prescribed_order(
    patient_details, product, pack, count, prescriber, consultation_reference, prescriber_name=""
):
    """An order made from a prescriber's approval of a consultation (issue 20).

    `patient_details` has the checkout's keys (DETAIL_FIELDS; at least name, email, phone,
    date_of_birth and fulfilment); `pack` is a PackSize of `product`; `prescriber` the
    prescriber's user (or their name); `prescriber_name` how the order names them (their
    name and registration), else the user's name. The order starts "prescribed" and waits in the
    pharmacists' queue for the clinical check like any other; its price is the pack's price
    now. Returns the order; the customer is emailed after the commit.
    """
    if pack.page_id != product.pk:
        raise OrderError("That pack is not a pack of that product.")
    if not 1 <= count <= 99:
        raise OrderError("Choose a number of packs from 1 to 99.")
    prescriber_name = prescriber_name or _name_of(prescriber)
    with transaction.atomic():
        order = _new_order(patient_details, S.PRESCRIBED, None)
        order.prescriber = prescriber_name
        order.consultation_reference = consultation_reference
        order.subtotal = pack.price * count
        _save_new(order)
        _line_from_pack(order, pack, count, product=product).save()
        user = prescriber if hasattr(prescriber, "pk") else None
        _record(
            order,
            "",
            S.PRESCRIBED,
            by=user,
            by_name=prescriber_name,
            note=f"Prescribed after consultation {consultation_reference}.",
        )
        queue_email(order, EmailKind.CONFIRMATION)
    return order


def _new_order(details, status, request, idempotency_key=None):
    settings = PharmacySettings.load(request_or_site=request)
    order = Order(
        status=status, idempotency_key=idempotency_key, currency=settings.currency, subtotal=0
    )
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(order, name, details[name] or ("" if name != "date_of_birth" else None))
    if order.fulfilment == Fulfilment.COLLECTION:
        order.address_line_1 = order.address_line_2 = order.town = order.postcode = ""
    order.agreed_to_terms_at = timezone.now() if details.get("agree") else None
    return order


def _save_new(order):
    """Insert the order with a free reference; False if its idempotency key was taken."""
    for _ in range(10):
        try:
            with transaction.atomic():
                order.save(force_insert=True)
            return True
        except IntegrityError:
            if order.idempotency_key and (
                Order.objects.filter(idempotency_key=order.idempotency_key).exists()
            ):
                return False
            order.reference = new_reference()  # a reference another order has
    raise OrderError("No free order reference was found: try again.")


def _line_from_pack(order, pack, count, product=None):
    product = product or pack.page
    return OrderLine(
        order=order,
        pack=pack,
        product=product,
        product_title=product.title,
        pack_description=str(pack),
        legal_status=product.legal_status,
        count=count,
        unit_price=pack.price,
    )


def _empty():
    return Problem(None, "Your cart is empty: there is nothing to order.")


def _name_of(user):
    if user is None:
        return ""
    if isinstance(user, str):
        return user
    return user.get_full_name() or user.get_username()


def _record(order, from_status, to_status, by=None, by_name="", **texts):
    return StatusChange.objects.create(
        order=order,
        from_status=from_status,
        to_status=to_status,
        by=by,
        by_name=by_name or _name_of(by),
        **texts,
    )


# --- The pharmacist's actions ---------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    to: str
    allowed_from: tuple
    needs_message: bool = False  # a query or a refusal tells the customer why
    fulfilment: str = ""  # only for orders delivered, or only for those collected


OPEN_CHECK = (*AWAITING_CHECK, S.QUERIED)
ACTIONS = {
    action.name: action
    for action in [
        Action(
            "prescription_received",
            "Prescription received",
            S.RECEIVED,
            (S.AWAITING_PRESCRIPTION,),
        ),
        Action("pass", "Pass the clinical check", S.CHECK_PASSED, OPEN_CHECK),
        Action(
            "query",
            "Query with a message to the customer",
            S.QUERIED,
            (*OPEN_CHECK, S.AWAITING_PRESCRIPTION),
            needs_message=True,
        ),
        Action(
            "refuse",
            "Refuse, with the reason for the customer",
            S.REFUSED,
            (*OPEN_CHECK, S.AWAITING_PRESCRIPTION),
            needs_message=True,
        ),
        Action(
            "dispatch", "Mark dispatched", S.DISPATCHED, (S.CHECK_PASSED,), fulfilment="delivery"
        ),
        Action(
            "ready",
            "Mark ready for collection",
            S.READY_FOR_COLLECTION,
            (S.CHECK_PASSED,),
            fulfilment="collection",
        ),
        Action("complete", "Mark completed", S.COMPLETED, (S.DISPATCHED, S.READY_FOR_COLLECTION)),
        Action(
            "cancel",
            "Cancel the order",
            S.CANCELLED,
            (*OPEN_CHECK, S.AWAITING_PRESCRIPTION, S.CHECK_PASSED, S.READY_FOR_COLLECTION),
        ),
    ]
}


def available_actions(order):
    """The actions the order's status (and its delivery or collection) allows now."""
    if order.anonymised_at:
        return []
    return [
        action
        for action in ACTIONS.values()
        if order.status in action.allowed_from
        and (not action.fulfilment or action.fulfilment == order.fulfilment)
    ]


def change_status(order, action_name, user, note="", message="", tracking_reference=""):
    """Apply a pharmacist's action; raise OrderError if the order's status does not allow it
    (read again under a row lock: two pharmacists acting at once cannot both succeed)."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise OrderError("Choose one of the actions shown.")
    if action.needs_message and not message.strip():
        raise OrderError("Write the message the customer will read.")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if action not in available_actions(locked):
            raise OrderError(
                f"This order is {locked.get_status_display().lower()}: "
                f"“{action.label}” is not possible now."
            )
        change = _record(
            locked,
            locked.status,
            action.to,
            by=user,
            note=note.strip(),
            message_to_customer=message.strip(),
        )
        locked.status = action.to
        locked.updated_at = change.at
        fields = ["status", "updated_at"]
        if action.name == "dispatch":
            locked.tracking_reference = tracking_reference.strip()
            fields.append("tracking_reference")
        locked.save(update_fields=fields)
        queue_email(locked)
    return locked


def reply_to_query(order, text):
    """The customer's answer to a query: recorded, and the order goes back to the check."""
    text = text.strip()
    if not text:
        raise OrderError("Write your answer to the pharmacy's question.")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != S.QUERIED:
            raise OrderError("The pharmacy is not waiting for an answer on this order.")
        change = _record(locked, S.QUERIED, S.RECEIVED, by_name=CUSTOMER, customer_reply=text)
        locked.status = S.RECEIVED
        locked.updated_at = change.at
        locked.save(update_fields=["status", "updated_at"])
    return locked


# --- Personal data --------------------------------------------------------------------------


def anonymise(order):
    """Remove the customer's details and every free text from a closed order. The lines, the
    statuses and their dates stay (the pharmacy's record of what it supplied), the status
    link stops working and unsent emails are dropped."""
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(
            name=REMOVED,
            email="removed@invalid",
            phone="",
            date_of_birth=None,
            address_line_1="",
            address_line_2="",
            town="",
            postcode="",
            note_to_pharmacist="",
            tracking_reference="",
            idempotency_key=None,
            status_token=new_status_token(),
            anonymised_at=timezone.now(),
        )
        OrderLine.objects.filter(order=order).update(pharmacy_answers=[])
        changes = StatusChange.objects.filter(order=order)
        for text in ("note", "message_to_customer", "customer_reply"):
            changes.exclude(**{text: ""}).update(**{text: REMOVED})
        order.emails.filter(sent_at__isnull=True).update(abandoned=True)


def export_customer_orders(email):
    """Everything held about the customer with this address (a subject access request)."""
    orders = (
        Order.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True)
        .prefetch_related("lines", "status_changes")
        .order_by("created_at", "pk")
    )
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "orders": [_exported(order) for order in orders],
    }


def _exported(order):
    fields = ["reference", "status", "created_at", *DETAIL_FIELDS, "agreed_to_terms_at"]
    fields += ["subtotal", "currency", "tracking_reference", "prescriber"]
    data = {name: _plain(getattr(order, name)) for name in fields}
    data["consultation_reference"] = order.consultation_reference
    data["lines"] = [
        {
            "product": line.product_title,
            "pack": line.pack_description,
            "count": line.count,
            "unit_price": str(line.unit_price),
            "pharmacy_answers": line.pharmacy_answers,
        }
        for line in order.lines.all()
    ]
    data["history"] = [
        {
            "at": change.at.isoformat(),
            "from": change.from_status,
            "to": change.to_status,
            "by": change.by_name,
            "note": change.note,
            "message_to_customer": change.message_to_customer,
            "customer_reply": change.customer_reply,
        }
        for change in order.status_changes.all()
    ]
    return data


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, str | int):
        return value
    return str(value)
