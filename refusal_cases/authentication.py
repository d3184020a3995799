"""API authentication (its own module: DRF's settings import it while rest_framework.views is loading)."""

from rest_framework import authentication

from refusal_cases.logs import bind_user


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; the user it finds is bound to the request's log lines and queued tasks."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            bind_user(found[0].pk)
        return found
