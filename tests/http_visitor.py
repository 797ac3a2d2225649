"""A browser-like HTTP client for tests against a real server (live_server): its own
cookies, no redirects followed, and the hidden fields of a page's forms."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


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


def form_fields(html, action_contains):
    """(action, hidden fields) of the first form whose action contains `action_contains`."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        action = re.search(r'action="([^"]*)"', form)
        if action and action_contains in action.group(1):
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            return action.group(1).replace("&amp;", "&"), hidden
    raise AssertionError(f"no form posting to *{action_contains}* on the page")
