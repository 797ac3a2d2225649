"""Content-Security-Policy header.

Django 5.2 has no built-in CSP and the policy here is two static strings (the
site's, and the admin's with its few relaxations), so a small middleware is
simpler than a dependency. The headers are built once per process.
"""

from functools import cache

from django.conf import settings


def _serialise(policy):
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


@cache
def _headers(policy_key):
    site = settings.CSP_POLICY
    return _serialise(site), _serialise({**site, **settings.CSP_ADMIN_OVERRIDES})


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.CSP_POLICY:
            return response
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        # Always set: a Wagtail preview renders the page through the middleware for
        # the page's own URL inside the admin request, whose policy must win.
        site, admin = _headers(_policy_key())
        response[header] = admin if request.path.startswith(settings.CSP_ADMIN_PATH) else site
        return response


def _policy_key():
    """Changes when the settings do (tests override them), so the cache stays right."""
    return repr((settings.CSP_POLICY, settings.CSP_ADMIN_OVERRIDES))
