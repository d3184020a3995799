"""The client's address, for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request comes from the proxy's address. X-Forwarded-For is believed only when the
request comes from one of TRUSTED_PROXIES, and then only as far as trusted proxies wrote it: read from the right,
each address a trusted proxy appended is the one it was talking to, and the first that is not itself a trusted proxy
is the client. Anything further left was written by the client and is never read. With no trusted proxies the
address is REMOTE_ADDR, whatever the headers say.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    hop = _address(remote or "")
    if hop is None or not networks:
        return remote

    def trusted(address) -> bool:
        return any(address in network for network in networks if network.version == address.version)

    if not trusted(hop):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for text in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(text)
        if address is None:  # a trusted proxy wrote what is no address: stop at the last one known
            break
        hop = address
        if not trusted(hop):
            break
    return str(hop)
