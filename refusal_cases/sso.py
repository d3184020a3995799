"""Optional single sign-on by OpenID Connect (mozilla-django-oidc), off unless OIDC_ENABLED.

The provider vouches for who someone is, never for what they may do here: a sign-on logs in the one active account
whose `OIDC_MATCH_FIELD` (default: the username) equals the provider's `OIDC_MATCH_CLAIM` (default:
`preferred_username`). No account is ever created from a sign-on, and nothing the provider says (a role, an
agency, a name) changes an account. Local password login stays, for creditors and for staff alike.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ClaimMatchingBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_MATCH_CLAIM))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            **{settings.OIDC_MATCH_FIELD: claims[settings.OIDC_MATCH_CLAIM], "is_active": True})

    def create_user(self, claims):
        """Never: an account, its role and its agency are made here, by an administrator."""
        return None

    def update_user(self, user, claims):
        return user


def _enabled(view):
    def answer(request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request)

    return answer


# The provider's endpoints are read when a view is made: only when sign-on is on.
sign_on = _enabled(lambda request: oidc_views.OIDCAuthenticationRequestView.as_view()(request))
callback = _enabled(lambda request: oidc_views.OIDCAuthenticationCallbackView.as_view()(request))


class LoginView(auth_views.LoginView):
    """The local login page, offering the sign-on beside the password when it is on."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sign_on": settings.OIDC_ENABLED,
                "sign_on_label": settings.OIDC_PROVIDER_NAME}
