"""The forms of a page as a visitor's browser would send them (stdlib only: used by
bench/run.py and by the tests' HTTP visitor)."""

import re


def form_fields(html, action_contains):
    """(action, hidden fields) of the first form whose action contains `action_contains`.

    Raises LookupError when the page has no such form."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        action = re.search(r'action="([^"]*)"', form)
        if action and action_contains in action.group(1):
            hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            return action.group(1).replace("&amp;", "&"), hidden
    raise LookupError(f"no form posting to *{action_contains}* on the page")
