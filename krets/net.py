"""The client's address, also behind the TLS proxy: the one place that reads X-Forwarded-For.

`TRUSTED_PROXIES` is empty (X-Forwarded-For ignored: anyone can send it), a count of proxies in
front of the portal, or a list of the proxies' addresses and networks. A proxy appends the address
it received the request from, so the chain is read from the right: the client is the right-most
address that is not a trusted proxy. Whatever the client itself put further left is never used.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def parse_trusted_proxies(value: str | int | tuple | list | None) -> int | tuple[Network, ...]:
    """A proxy count, or the trusted networks. Raises ValueError for an unreadable entry."""
    if value in (None, "", 0, (), []):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        if value.strip().isdigit():
            return int(value.strip())
        value = value.split(",")
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value if item.strip())


def _trusted():
    value = settings.TRUSTED_PROXIES
    return parse_trusted_proxies(tuple(value) if isinstance(value, list) else value)


def client_ip(request) -> str | None:
    """The address of whoever sent the request (None without a request)."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = _trusted()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote is None or not trusted or not forwarded:
        return str(remote) if remote else None
    chain = [_address(item) for item in forwarded.split(",")] + [remote]
    if isinstance(trusted, int):
        # The last `trusted` hops are our proxies; the one before them is the client.
        candidate = chain[-(trusted + 1)] if len(chain) > trusted else chain[0]
        return str(candidate or remote)
    client = remote
    for hop in reversed(chain):
        if hop is None:  # unreadable: stop at the last address a trusted proxy vouched for
            break
        client = hop
        if not any(hop in network for network in trusted):
            break
    return str(client)
