"""Browser sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after their login.

Both moments are kept in the session itself and checked on the server at each request: an ended session is an
ordinary logout (the request goes on as anonymous, so a page sends the person to the login page with `next`).
The last activity is written at most once a minute, so a session is not saved on every request.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
TOUCH_EVERY = 60  # seconds


def _now() -> float:
    return timezone.now().timestamp()


@receiver(user_logged_in, dispatch_uid="agencies.sessions.start")
def start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = _now()


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = _now()
            login_at = session.setdefault(LOGIN_AT, now)  # a session from before these limits: counted from now
            seen_at = session.get(SEEN_AT, now)
            if now - seen_at >= settings.SESSION_IDLE_MINUTES * 60:
                self.end(request, _("You were logged out after %(minutes)d minutes without activity.")
                         % {"minutes": settings.SESSION_IDLE_MINUTES})
            elif now - login_at >= settings.SESSION_MAX_HOURS * 3600:
                self.end(request, _("You were logged out: a session lasts at most %(hours)d hours.")
                         % {"hours": settings.SESSION_MAX_HOURS})
            elif now - seen_at >= TOUCH_EVERY or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def end(request, message: str) -> None:
        logout(request)
        if hasattr(request, "_messages"):
            messages.info(request, message)
