"""Where other apps take part in adding to the cart, without the cart importing them.

`asking_first` is sent by the add view before a pack goes into the cart, with `request`,
`pack` and `count`; a receiver returns the address the visitor must go to first (or None).
consultations/pharmacy.py sends a pharmacy medicine's buyer to its questions.
"""

from django.dispatch import Signal

asking_first = Signal()


def first_ask(request, pack, count):
    """Where the visitor must go before `pack` goes into their cart, or None."""
    for _, url in asking_first.send(sender=None, request=request, pack=pack, count=count):
        if url:
            return url
    return None
