"""The client's address, as the login throttle sees it (django-axes' AXES_CLIENT_IP_CALLABLE): five failures
lock a username from one address, so the address must be the client's own, and not one it can choose.

Served directly (DUBAN_PROXY_COUNT unset or 0), it is the connection's address, REMOTE_ADDR; an
X-Forwarded-For header is ignored, as anyone can send one. Behind N reverse proxies (DUBAN_PROXY_COUNT=N),
each appending the address it was connected from to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`),
the client is the N-th entry from the right: the one the outermost proxy wrote. What a client writes there
itself stands further left and is never read. The header is read only on a connection from the proxy next
to duban (REMOTE_ADDR within DUBAN_TRUSTED_PROXIES, loopback by default); any other connection is its own
REMOTE_ADDR, so going round the proxy does not let a client name its address either.

Not django-ipware's AXES_IPWARE_* settings (axes' default when ipware is installed), measured on ipware 8:
its proxy count is of the proxies' addresses inside the header (one fewer than the proxies in front of an
nginx-style chain, so the count a reader would set falls back to the proxy's address), and it prefers a
public REMOTE_ADDR to a private client address, which would put every intranet user on the proxy's again.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.http import HttpRequest

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.0/8", "::1/128")


def parse_proxy_count(text: str | None) -> int:
    """DUBAN_PROXY_COUNT: how many reverse proxies stand in front of duban (0: none)."""
    value = (text or "").strip() or "0"
    if not value.isascii() or not value.isdigit():
        raise ImproperlyConfigured(f"DUBAN_PROXY_COUNT must be a whole number of proxies (0 or more), not '{text}'")
    return int(value)


def parse_trusted_proxies(text: str | None) -> tuple[str, ...]:
    """DUBAN_TRUSTED_PROXIES: the addresses or networks (CIDR) the proxy next to duban connects from."""
    entries = tuple(e.strip() for e in (text or "").split(",") if e.strip()) or LOOPBACK
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"DUBAN_TRUSTED_PROXIES must list IP addresses or networks (CIDR), separated by commas; '{entry}' is neither"
            ) from None
    return entries


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "DUBAN_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not count:
        return remote
    if not _from_trusted_proxy(remote):
        if forwarded:
            log.warning("X-Forwarded-For from %s, which is not in DUBAN_TRUSTED_PROXIES: ignored", remote)
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")] if forwarded else []
    if len(hops) < count:
        return remote  # not through all the proxies
    return _address(hops[-count]) or remote


def _from_trusted_proxy(remote: str | None) -> bool:
    address = _address(remote or "")
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    trusted = getattr(settings, "DUBAN_TRUSTED_PROXIES", LOOPBACK)
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(text: str) -> str | None:
    """An address as a proxy writes it (`203.0.113.5`, `2001:db8::1`, with a port `203.0.113.5:4711`,
    `[2001:db8::1]:4711`), normalised; None when it is not one."""
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
