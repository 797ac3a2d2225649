"""A browser-like HTTP client for tests against a real server (live_server): its own
cookies, no redirects followed, and the hidden fields of a page's forms."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

from bench.html_forms import form_fields  # noqa: F401 - the tests' import of it


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpVisitor:
    def __init__(self, base_url, cookie_header=None):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.cookie_header = cookie_header  # share another visitor's cookies as they are
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def _open(self, request):
        if self.cookie_header:
            request.add_header("Cookie", self.cookie_header)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            return error.code, error.read().decode()

    def get(self, path):
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body, method="POST"))

    def cookies(self):
        """The cookies as a Cookie header (the jar keeps Secure cookies off plain HTTP)."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
