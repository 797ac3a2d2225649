"""Which cart is the visitor's: the token in their session names it."""

import re

from django.utils.crypto import salted_hmac

from .availability import cart_contents
from .models import Cart

SESSION_KEY = "cart_token"
TOKEN_FORMAT = re.compile(r"[0-9a-f]{64}")


def cart_token(request):
    """The session's cart token if it is well formed, else None. Never creates a session."""
    session = getattr(request, "session", None)  # absent on some error pages
    token = session.get(SESSION_KEY) if session is not None else None
    if isinstance(token, str) and TOKEN_FORMAT.fullmatch(token):
        return token
    return None


def visitor_cart(request):
    """The visitor's cart, or None (no cart yet, or a stale or tampered token)."""
    token = cart_token(request)
    return Cart.objects.filter(token=token).first() if token else None


def visitor_cart_for_update(request):
    """The visitor's cart, created on their first add.

    A session that already exists gets a token derived from its key, so two
    concurrent first adds of one session end up in the same cart rather than in
    two carts of which the session would remember only the last.
    """
    cart = visitor_cart(request)
    if cart is not None:
        return cart
    session_key = request.session.session_key
    if session_key:
        token = salted_hmac("catalog.cart", session_key, algorithm="sha256").hexdigest()
        cart, _ = Cart.objects.get_or_create(token=token)
    else:
        cart = Cart.objects.create()
    request.session[SESSION_KEY] = cart.token
    return cart


def visitor_cart_contents(request):
    return cart_contents(request, cart_token(request))
