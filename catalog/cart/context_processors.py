from django.utils.functional import SimpleLazyObject

from .session import visitor_cart_contents


def mini_cart(request):
    """`mini_cart` for the header: evaluated only when a template uses it.

    Visitors without a cart cost no query (and get no cart state in the page, so
    their pages stay cacheable); with a cart, one query whatever its size.
    """
    return {"mini_cart": SimpleLazyObject(lambda: visitor_cart_contents(request))}
