"""Which consultation in progress is the visitor's: a random token in a cookie names it.

The answers themselves stay on the server (ConsultationDraft). The cookie is only sent
to /consultations/, which no cache keeps (Varnish passes it; the page cache never
stores these pages).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import ConsultationDraft

COOKIE = "consultation"
COOKIE_PATH = "/consultations/"
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{43}")


def max_age():
    return timedelta(hours=settings.CONSULTATION_DRAFT_HOURS)


def visitor_draft(request, product=None):
    """The visitor's draft (for `product`, if given), or None."""
    token = request.COOKIES.get(COOKIE, "")
    if not TOKEN_FORMAT.fullmatch(token):
        return None
    drafts = ConsultationDraft.objects.filter(
        token=token, updated_at__gte=timezone.now() - max_age()
    ).select_related("product", "questionnaire", "preferred_pack")
    if product is not None:
        drafts = drafts.filter(product=product)
    return drafts.first()


def remember(response, draft):
    response.set_cookie(
        COOKIE,
        draft.token,
        max_age=int(max_age().total_seconds()),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def forget(response):
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")
    return response
