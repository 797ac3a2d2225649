"""Emails to the customer: the reference, the status and the private status link, nothing else.

No product, no medicine, no pharmacist's message: an email may be read by anyone with the
mailbox, so what the pharmacy says is read on the status page. Each email is an OrderEmail row
written with the change it reports and sent after the commit; a failure is logged and kept,
and `manage.py send_order_emails` sends what is left.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from home.site_settings import PharmacySettings

from .models import EmailKind, OrderEmail, OrderStatus

logger = logging.getLogger(__name__)

CUSTOMER_STATUS = {
    OrderStatus.RECEIVED: "received: a pharmacist will check it",
    OrderStatus.AWAITING_PRESCRIPTION: "waiting for your prescription",
    OrderStatus.PRESCRIBED: "prescribed: a pharmacist will check it",
    OrderStatus.QUERIED: "the pharmacy has a question for you",
    OrderStatus.CHECK_PASSED: "checked by our pharmacist",
    OrderStatus.REFUSED: "not supplied: the pharmacy has left you a message",
    OrderStatus.DISPATCHED: "dispatched",
    OrderStatus.READY_FOR_COLLECTION: "ready for collection",
    OrderStatus.COMPLETED: "completed",
    OrderStatus.CANCELLED: "cancelled",
}


def customer_status(status):
    """How a status is put to the customer (the admin's labels speak to pharmacists)."""
    return CUSTOMER_STATUS.get(status, status)


def site_root_url():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL


def status_url(order):
    return site_root_url() + reverse("orders:status", args=(order.status_token,))


def queue_email(order, kind=EmailKind.STATUS):
    """Record an email about the order's current status; it is sent once the change commits."""
    email = OrderEmail.objects.create(order=order, kind=kind, status=order.status)
    transaction.on_commit(lambda: send_email(email.pk))
    return email


def message_for(email, order):
    pharmacy = PharmacySettings.load().pharmacy_name
    status = customer_status(email.status)
    if email.kind == EmailKind.CONFIRMATION:
        subject = f"Your order {order.reference} with {pharmacy}"
        opening = (
            f"Thank you: we have your order {order.reference}. Its status: {status}.\n"
            "Nothing is sent before one of our pharmacists has checked it."
        )
    else:
        subject = f"Your order {order.reference}: {status}"
        opening = f"Your order {order.reference} is now: {status}."
    body = (
        f"{opening}\n\n"
        f"Follow your order, and read any message from the pharmacy, here:\n{status_url(order)}\n\n"
        "Keep this link to yourself: anyone with it can see your order.\n\n"
        f"{pharmacy}\n"
    )
    return EmailMessage(subject, body, to=[order.email])


def send_email(email_id):
    """Send one queued email; True if it went. A failure is logged and counted, never raised."""
    email = OrderEmail.objects.select_related("order").filter(pk=email_id).first()
    if email is None or email.sent_at or email.abandoned:
        return False
    order = email.order
    if order.anonymised_at:
        OrderEmail.objects.filter(pk=email.pk).update(abandoned=True)
        return False
    try:
        message_for(email, order).send()
    except Exception as error:  # noqa: BLE001 - whatever the mail backend raises
        logger.exception("Could not send the %s email for order %s", email.kind, order.reference)
        OrderEmail.objects.filter(pk=email.pk).update(
            attempts=email.attempts + 1, last_error=str(error)[:300] or type(error).__name__
        )
        return False
    OrderEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), attempts=email.attempts + 1, last_error=""
    )
    return True


def unsent():
    return OrderEmail.objects.filter(sent_at__isnull=True, abandoned=False)


def send_unsent(max_attempts=None):
    """Retry every email not sent yet, oldest first: (sent, failed)."""
    emails = unsent().order_by("created_at", "pk")
    if max_attempts:
        emails = emails.filter(attempts__lt=max_attempts)
    sent = failed = 0
    for email_id in emails.values_list("pk", flat=True):
        if send_email(email_id):
            sent += 1
        else:
            failed += 1
    return sent, failed
