"""Guessing limits for password-protected pages (Wagtail's page privacy "password").

Wagtail's form at /_util/authenticate_with_password/<restriction>/<page>/ checks any
number of guesses. This wraps it: after PAGE_PASSWORD_FAILURE_LIMIT attempts at one
restriction's password from one client, the form is shown again with a message (HTTP
429), without checking the password, until PAGE_PASSWORD_LOCKOUT_SECONDS after the
first. Counted per restriction (it holds the password; the page id in the address can be
any page) and client address; the right password forgets the count.
"""

from django.forms import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from .client_ip import client_ip
from .throttle import Throttle

page_password_attempts = Throttle(
    "page-password", "PAGE_PASSWORD_FAILURE_LIMIT", "PAGE_PASSWORD_LOCKOUT_SECONDS"
)
TOO_MANY = (
    "Too many wrong passwords for this page. For its security, the password is not "
    "checked for the next {minutes} minutes. Try again later."
)


class LockedPasswordForm(PasswordViewRestrictionForm):
    """The same form, answering with the lockout message instead of checking the password."""

    def clean_password(self):
        minutes = max(1, page_password_attempts.window // 60)
        raise ValidationError(TOO_MANY.format(minutes=minutes), code="too_many_attempts")


def authenticate_with_password(request, page_view_restriction_id, page_id):
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    who = (page_view_restriction_id, client_ip(request))
    if not page_password_attempts.count(*who):
        return locked_response(request, page_view_restriction_id, page_id)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code == 302:  # the right password
        page_password_attempts.clear(*who)
    return response


def locked_response(request, page_view_restriction_id, page_id):
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    form = LockedPasswordForm(request.POST, instance=restriction)
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    response = page.serve_password_required_response(request, form, action_url)
    response.status_code = 429
    return response
