"""API authentication (its own module: DRF's settings import it while rest_framework.views is loading)."""

from rest_framework import authentication, exceptions

from refusal_cases.logs import bind_user


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <secret>` with the device tokens of agencies.tokens: an unknown, revoked or expired
    token is a 401 whose body says which (`code`: token_invalid, token_revoked, token_expired) and why. The user it
    finds is bound to the request's log lines and queued tasks; `request.auth` is the token."""

    def authenticate_credentials(self, key):
        from agencies import tokens  # models: not while DRF's settings load

        try:
            token = tokens.check(key)
        except tokens.Refusal as refusal:
            raise exceptions.AuthenticationFailed(refusal.message, code=refusal.code) from None
        bind_user(token.user_id)
        return token.user, token
