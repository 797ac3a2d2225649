from wagtail import hooks

from .public import mark_public


@hooks.register("on_serve_page")
def mark_served_pages_public(serve):
    """Pages Wagtail serves for GET are public pages. Outermost of the serve chain: a
    restricted page's response already says never-cache (Wagtail's own view-restriction
    check), and middleware.is_public() keeps those private."""

    def serve_and_mark(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        if request.method in ("GET", "HEAD"):
            mark_public(response)
        return response

    return serve_and_mark
