"""Migrates the provider's database and registers what the sign-on test needs (run as a program, with the
provider's settings): python -m tests.ops.oidc_provider.prepare <redirect uri>."""

import sys

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oidc_provider.models import Client, ResponseType  # noqa: E402


def main(redirect_uri: str) -> None:
    call_command("migrate", verbosity=0)
    call_command("creatersakey", verbosity=0)
    User.objects.create_user("enforcement_judge", password="provider-pass", email="judge@court.example")
    User.objects.create_user("stranger", password="provider-pass", email="stranger@example.org")
    client = Client.objects.create(name="refusal cases", client_type="confidential", client_id="refusal-cases",
                                   client_secret="provider-client-secret", jwt_alg="RS256", require_consent=False,
                                   _redirect_uris=redirect_uri, _scope="openid profile email")
    client.response_types.add(ResponseType.objects.get(value="code"))


if __name__ == "__main__":
    main(sys.argv[1])
