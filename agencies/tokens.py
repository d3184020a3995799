"""API tokens: one per login and device, stored as the SHA-256 of a random secret, ended by idleness, age or revocation.

The secret is 32 random bytes (URL-safe base64): its SHA-256 is enough to find it and nothing to guess it from,
so no slow password hash is needed. A token's last use is written at most once a minute, not on every request.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import ApiToken, TokenEnd, User

TOUCH_EVERY = timedelta(minutes=1)
KEEP_ENDED = timedelta(days=7)  # an ended token is kept this long after it could have lived, to say why it ended
DEVICE_MAX = ApiToken._meta.get_field("device").max_length


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def idle_lifetime() -> timedelta:
    return timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES)


def max_lifetime() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_MAX_HOURS)


def expires_at(token: ApiToken) -> datetime:
    """When the token ends unless it is used again (or revoked) before."""
    return min(token.created + max_lifetime(), token.last_used + idle_lifetime())


def issue(user: User, device: str = "") -> tuple[ApiToken, str]:
    """A new token for one device; returns it with its secret, which is stored nowhere."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, created__lt=now - max_lifetime() - KEEP_ENDED).delete()
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=digest_of(secret), device=device[:DEVICE_MAX], created=now,
                                    last_used=now)
    return token, secret


def live_tokens(user: User) -> QuerySet[ApiToken]:
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, created__gt=now - max_lifetime(),
                                   last_used__gt=now - idle_lifetime())


def revoke(token: ApiToken, because: str) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(),
                                                                       revoked_because=because)


@dataclass
class Refusal(Exception):
    """Why a token is not accepted: `code` for programs, `message` for people."""

    code: str
    message: str


def check(secret: str) -> ApiToken:
    """The live token of this secret (its use recorded), or Refusal saying why not."""
    token = ApiToken.objects.select_related("user", "user__agency").filter(digest=digest_of(secret)).first()
    if token is None:
        raise Refusal("token_invalid", _("Invalid token."))
    if token.revoked_at is None and not token.user.is_active:
        revoke(token, TokenEnd.DEACTIVATED)
        token.revoked_at, token.revoked_because = timezone.now(), TokenEnd.DEACTIVATED
    if token.revoked_at is not None:
        reason = TokenEnd(token.revoked_because).label if token.revoked_because else ""
        raise Refusal("token_revoked", _("This token was revoked (%(reason)s). Log in again for a new one.")
                      % {"reason": reason})
    now = timezone.now()
    if now >= token.created + max_lifetime():
        raise Refusal("token_expired", _("This token expired: tokens last at most %(hours)d hours. Log in again.")
                      % {"hours": settings.API_TOKEN_MAX_HOURS})
    if now >= token.last_used + idle_lifetime():
        raise Refusal("token_expired", _("This token expired after %(minutes)d minutes without use. Log in again.")
                      % {"minutes": settings.API_TOKEN_IDLE_MINUTES})
    if now - token.last_used >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token
