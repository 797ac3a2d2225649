"""Taking a review from a visitor: spam checks, the rate limit, saving, notifying moderators."""

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse

from home.site_settings import PharmacySettings
from website import client_ip as website_client_ip
from website.throttle import Throttle

from .forms import ReviewForm
from .models import Review, ReviewStatus

logger = logging.getLogger(__name__)

MIN_FILL_SECONDS = 3
# settings.REVIEWS_RATE_LIMIT reviews per client per window, counted atomically.
submissions = Throttle("reviews", "REVIEWS_RATE_LIMIT", "REVIEWS_RATE_WINDOW_SECONDS")
USER_AGENT_MAX = 255
_SALT = "catalog.reviews.form-token"


FORM_TOKEN_MAX_AGE = settings.REVIEW_FORM_TOKEN_MAX_AGE  # seconds


@dataclass(frozen=True)
class FormToken:
    nonce: str
    age: float  # seconds since it was issued


def new_form_token(at=None):
    """A one-use token for the review form's hidden `started` field: a random nonce and
    the time it was issued, signed. Issued by /visitor/ (website/visitor.py) to the
    page's script, or on the form's own response without JavaScript; never in the
    cached page."""
    issued = time.time() if at is None else at
    return signing.dumps({"n": secrets.token_hex(16), "t": issued}, salt=_SALT)


def read_form_token(token):
    """The token's nonce and age, or None if it is forged or older than the maximum age."""
    try:
        data = signing.loads(token or "", salt=_SALT)
        nonce, age = str(data["n"]), time.time() - float(data["t"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None
    if age > FORM_TOKEN_MAX_AGE:
        return None
    return FormToken(nonce=nonce, age=max(0.0, age))


client_ip = website_client_ip.client_ip  # REMOTE_ADDR, or per NUM_PROXIES behind proxies


def hash_ip(ip):
    """A keyed hash: the same client is recognisable, the address itself is not stored."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def looks_like_spam(form, token):
    """Honeypot filled; a forged or expired token; or the form sent back faster than a
    person can write a review. (A reused token is caught when the review is saved.)"""
    if form.cleaned_data.get("website"):
        return True
    return token is None or token.age < MIN_FILL_SECONDS


@dataclass
class Submission:
    form: ReviewForm
    review: Review | None = None
    rate_limited: bool = False
    # Sent without a token (no JavaScript): shown again, with one, to send once more.
    needs_token: bool = False

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
    sent_token = request.POST.get("started", "")
    if not form.is_valid() or not sent_token:
        if not sent_token:  # the page's script did not run: the form is shown with one
            form.data = form.data.copy()
            form.data["started"] = new_form_token()
        return Submission(form=form, needs_token=form.is_valid())  # nothing stored or counted
    if not submissions.count(ip_hash):  # the atomic check: exactly the limit get through
        return Submission(form=form, rate_limited=True)
    review = _review_from(form, product, request, ip_hash)
    token = read_form_token(sent_token)
    review.status = ReviewStatus.SPAM if looks_like_spam(form, token) else ReviewStatus.PENDING
    review.form_token = token.nonce if token else None
    _save_once(review)
    if review.status == ReviewStatus.PENDING:
        recipients = notification_recipients(PharmacySettings.load(request_or_site=request))
        transaction.on_commit(lambda: notify_moderators(review, recipients))
    return Submission(form=form, review=review)


def _review_from(form, product, request, ip_hash):
    review = form.save(commit=False)
    review.product = product
    review.product_title = product.title
    review.ip_hash = ip_hash
    review.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    return review


def _save_once(review):
    """Save the review; if its token was used before, save it as spam, without the token.
    The check is a read; the unique column catches two sent at the same instant."""
    if review.form_token and Review.objects.filter(form_token=review.form_token).exists():
        _save_as_reused(review)
        return
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        _save_as_reused(review)


def _save_as_reused(review):
    review.pk = None
    review.form_token = None
    review.status = ReviewStatus.SPAM
    review.save()


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
