"""The address a request came from, behind trusted proxies. Pure: no Reflex, no web framework.

Behind nginx every connection comes from the proxy, so the throttle's per-address limit and the access
log would see one address for everyone. X-Forwarded-For says where the request came from, but any
client can send it: it is believed only when the connection itself comes from a trusted proxy
(INFOSHARE_TRUSTED_PROXIES), and then only as far as the last address a trusted proxy added. The
Reflex events (auth/state.py client_of) and the JSON API (api/records.py) both ask here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(text: str) -> tuple[Network, ...]:
    """'127.0.0.1 10.0.0.0/8, ::1' as networks; ValueError naming an item that is not an address."""
    networks = []
    for item in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network like 10.0.0.0/8") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(text: str, proxies: Iterable[Network]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in proxies)


def client_address(peer: str, forwarded_for: str | None, proxies: Iterable[Network]) -> str:
    """The peer's address; or, when the peer is a trusted proxy, the right-most address in
    X-Forwarded-For that is not itself a trusted proxy (what the outermost trusted proxy saw). A
    forwarded value that is not an address stops the walk at the proxy that added it."""
    proxies = tuple(proxies)
    peer = (peer or "").strip()
    if not proxies or not forwarded_for or not _trusted(peer, proxies):
        return peer[:64]
    found = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if _address(hop) is None:
            break
        found = str(_address(hop))
        if not _trusted(hop, proxies):
            break
    return found[:64]
