"""htmx requests that meet an expired session: the whole page goes to the login, not a login page into a panel.

A panel (a step's form, a record's answer) is loaded and sent by htmx. When the session has ended, the view's
login_required answers with a redirect to the login page, which the browser would follow inside the request and
htmx would swap into the panel: a login page within the case page, and the login there leads to the panel's
fragment. Instead the answer is a 401 whose `HX-Redirect` header sends the whole window to the login page, with
`next` the page the panel belongs to (the `HX-Current-URL` htmx sends, kept to its path on this site). What the
user typed is kept by the page's script (static/js/app.js) and put back after the login.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def _page_of(request) -> str:
    """The path (and query) of the page the htmx request came from; the site's root when unknown or foreign."""
    current = request.headers.get("HX-Current-URL", "")
    allowed = url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    if not current or not allowed:
        return "/"
    parts = urlsplit(current)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class HtmxLoginRedirectMiddleware:
    """After AuthenticationMiddleware: turns a redirect to the login (or a CSRF refusal for lack of a session) of an
    htmx request without a logged-in user into `HX-Redirect: <login>?next=<the page>`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or request.user.is_authenticated:
            return response
        login = resolve_url(settings.LOGIN_URL)
        to_login = response.status_code in (301, 302) and urlsplit(response.get("Location", "")).path == login
        if not (to_login or response.status_code == 403):
            return response
        answer = HttpResponse(status=401)
        answer["HX-Redirect"] = f"{login}?{urlencode({'next': _page_of(request)})}"
        return answer
