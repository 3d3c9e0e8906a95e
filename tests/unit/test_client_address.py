"""The address a request came from, behind trusted proxies (client_address.py): a table of cases."""

import pytest

from infoshare_widget.base.client_address import client_address, parse_proxies

LOCAL = parse_proxies("127.0.0.1 ::1")
TWO = parse_proxies("127.0.0.1, 10.0.0.0/8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("198.51.100.7", None, LOCAL, "198.51.100.7"),  # direct, nothing forwarded
        ("198.51.100.7", "203.0.113.9", LOCAL, "198.51.100.7"),  # direct client saying it is someone else
        ("198.51.100.7", "203.0.113.9", (), "198.51.100.7"),  # no proxies configured: header ignored
        ("127.0.0.1", "203.0.113.9", LOCAL, "203.0.113.9"),  # behind nginx on this host
        ("127.0.0.1", None, LOCAL, "127.0.0.1"),  # the proxy itself, with nothing forwarded
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", LOCAL, "203.0.113.9"),  # a client's own guess is left of the proxy's
        ("127.0.0.1", "203.0.113.9, 10.1.2.3", TWO, "203.0.113.9"),  # two trusted hops
        ("127.0.0.1", "203.0.113.9, 10.1.2.3", LOCAL, "10.1.2.3"),  # the inner proxy is not trusted here
        ("127.0.0.1", "not-an-address", LOCAL, "127.0.0.1"),  # nonsense forwarded: stop at the proxy
        ("127.0.0.1", "2001:db8::5", LOCAL, "2001:db8::5"),
        ("::ffff:127.0.0.1", "203.0.113.9", LOCAL, "203.0.113.9"),  # an IPv4 peer seen on an IPv6 socket
        ("127.0.0.1", "[2001:db8::5]", LOCAL, "2001:db8::5"),
        ("", "203.0.113.9", LOCAL, ""),
    ],
)
def test_the_client_address(peer, forwarded, proxies, expected):
    assert client_address(peer, forwarded, proxies) == expected


def test_proxies_are_addresses_or_networks():
    assert [str(n) for n in parse_proxies("127.0.0.1,10.0.0.0/8 ::1")] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    with pytest.raises(ValueError, match="'nginx' is not an IP address"):
        parse_proxies("nginx")


def test_a_bad_trusted_proxy_setting_stops_start_up_with_its_name(monkeypatch):
    from infoshare_widget.base.settings import SettingsError, trusted_proxies

    monkeypatch.setenv("INFOSHARE_TRUSTED_PROXIES", "127.0.0.1 nginx")
    trusted_proxies.cache_clear()
    try:
        with pytest.raises(SettingsError, match="INFOSHARE_TRUSTED_PROXIES: 'nginx'"):
            trusted_proxies()
    finally:
        monkeypatch.delenv("INFOSHARE_TRUSTED_PROXIES")
        trusted_proxies.cache_clear()
