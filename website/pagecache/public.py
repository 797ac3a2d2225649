"""Which responses are public pages: the same bytes for every visitor not signed in."""

from functools import wraps


def mark_public(response):
    response.public_page = True
    return response


def public_page(view):
    """For views outside the page tree whose GET responses are public pages (search)."""

    @wraps(view)
    def marked(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            mark_public(response)
        return response

    return marked
