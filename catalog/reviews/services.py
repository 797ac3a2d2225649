"""Taking a review from a visitor: spam checks, the rate limit, saving, notifying moderators."""

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from home.models import PharmacySettings
from website import client_ip as website_client_ip
from website.throttle import Throttle

from .forms import ReviewForm
from .models import Review, ReviewStatus

logger = logging.getLogger(__name__)

MIN_FILL_SECONDS = 3
# settings.REVIEWS_RATE_LIMIT reviews per client per window, counted atomically.
submissions = Throttle("reviews", "REVIEWS_RATE_LIMIT", "REVIEWS_RATE_WINDOW_SECONDS")
USER_AGENT_MAX = 255
_SALT = "catalog.reviews.form-started"


_last_signed = (None, "")  # ((second, secret key), token): the latest token made


def form_started_token(at=None):
    """A signed timestamp for the form's hidden `started` field.

    In whole seconds, rounded up so rounding never shortens the minimum fill time.
    Every page served within the same second shares one signature: cached pages
    get a fresh token per visitor, and signing each was a tenth of a hit's time.
    """
    global _last_signed
    key = (math.ceil(time.time() if at is None else at), settings.SECRET_KEY)
    if _last_signed[0] != key:
        _last_signed = (key, signing.dumps(key[0], salt=_SALT))
    return _last_signed[1]


def seconds_since_form_shown(token):
    """How long the visitor took to fill the form, or None if the token is missing or forged.

    Never negative: the time in the token was rounded up to the second."""
    try:
        started = float(signing.loads(token or "", salt=_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return max(0.0, time.time() - started)


client_ip = website_client_ip.client_ip  # REMOTE_ADDR, or per NUM_PROXIES behind proxies


def hash_ip(ip):
    """A keyed hash: the same client is recognisable, the address itself is not stored."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def looks_like_spam(form):
    """Honeypot filled, or the form sent back faster than a person can write a review."""
    if form.cleaned_data.get("website"):
        return True
    elapsed = seconds_since_form_shown(form.cleaned_data.get("started"))
    return elapsed is None or elapsed < MIN_FILL_SECONDS


@dataclass
class Submission:
    form: ReviewForm
    review: Review | None = None
    rate_limited: bool = False

    @property
    def accepted(self):
        return self.review is not None


def submit_review(product, request):
    """Validate and store a visitor's review of `product` (the caller checks accept_reviews).

    Spam is stored silently with the spam status, so the sender sees the same
    thank-you as everyone else and learns nothing.
    """
    ip_hash = hash_ip(client_ip(request))
    form = ReviewForm(request.POST)
    if submissions.is_blocked(ip_hash):  # spare a blocked client the form's errors
        return Submission(form=form, rate_limited=True)
    if not form.is_valid():
        return Submission(form=form)  # invalid forms do not count: nothing is stored
    if not submissions.count(ip_hash):  # the atomic check: exactly the limit get through
        return Submission(form=form, rate_limited=True)
    review = form.save(commit=False)
    review.product = product
    review.product_title = product.title
    review.ip_hash = ip_hash
    review.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    review.status = ReviewStatus.SPAM if looks_like_spam(form) else ReviewStatus.PENDING
    with transaction.atomic():
        review.save()
        if review.status == ReviewStatus.PENDING:
            recipients = notification_recipients(PharmacySettings.load(request_or_site=request))
            transaction.on_commit(lambda: notify_moderators(review, recipients))
    return Submission(form=form, review=review)


def notification_recipients(pharmacy_settings):
    """The valid addresses in the setting, one per line; blank and malformed lines are skipped."""
    recipients = []
    for line in pharmacy_settings.review_notification_emails.splitlines():
        address = line.strip()
        if not address or address in recipients:
            continue
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("Skipping invalid review notification address %r", address)
            continue
        recipients.append(address)
    return recipients


def notify_moderators(review, recipients):
    """Email each moderator that a review awaits them.

    Deliberately without the customer's words or name: a notification must not
    carry spam (links, abuse) into inboxes. The moderator reads it in the admin.
    """
    if not recipients:
        return
    edit_url = settings.WAGTAILADMIN_BASE_URL + reverse(
        "wagtailsnippets_catalog_review:edit", args=(review.pk,)
    )
    subject = f"New review awaiting moderation: {review.product_title}"
    body = (
        f"A customer has reviewed “{review.product_title}” (rated {review.rating} out of 5).\n"
        "It is not shown on the site until a moderator approves it.\n\n"
        f"Moderate it here: {edit_url}\n"
    )
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    try:
        get_connection().send_messages(messages)
    except OSError:
        # The review is saved; a mail outage must not turn the visitor's submission into an error.
        logger.exception("Could not send the review notification for review %s", review.pk)
