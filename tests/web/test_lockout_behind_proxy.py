"""The login throttle keys on username + the client's own address: behind a reverse proxy each client is
locked on its own (not everyone behind the proxy's address), and X-Forwarded-For never lets a client choose
the address it is locked under (duban/web/client_ip.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from duban.accounts.services import person_create
from duban.web.client_ip import client_ip, parse_proxy_count, parse_trusted_proxies
from tests.factories import login_create

PASSWORD = "clerk-pass-2020"
PROXY = "127.0.0.1"  # the nginx next to duban: loopback, trusted by default
ATTACKER, VICTIM = "203.0.113.5", "198.51.100.7"


@pytest.fixture
def clerk(city):
    person = person_create(actor=None, jurisdiction=city, name="周静", role="督查室工作人员")
    return login_create("clerk", person, password=PASSWORD)


def login(client, password, remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    return client.post("/login/", {"username": "clerk", "password": password}, **meta).status_code


def fail_five_times(client, remote, forwarded=lambda i: None):
    statuses = [login(client, "wrong-password", remote, forwarded(i)) for i in range(5)]
    assert statuses == [200] * 4 + [429]  # the fifth failure locks


@pytest.fixture
def behind_one_proxy(settings):
    settings.DUBAN_PROXY_COUNT = 1


def test_behind_the_proxy_each_client_is_locked_on_its_own(client, clerk, behind_one_proxy):
    fail_five_times(client, PROXY, lambda i: ATTACKER)
    assert login(client, PASSWORD, PROXY, ATTACKER) == 429  # the one who failed is locked
    assert login(client, PASSWORD, PROXY, VICTIM) == 302  # another client through the same proxy is not


def test_a_client_cannot_lock_someone_else_by_naming_their_address(client, clerk, behind_one_proxy):
    # The attacker writes the victim's address into the header; the proxy appends the attacker's own.
    fail_five_times(client, PROXY, lambda i: f"{VICTIM}, {ATTACKER}")
    assert login(client, PASSWORD, PROXY, VICTIM) == 302


def test_a_client_cannot_escape_its_lock_by_writing_other_addresses(client, clerk, behind_one_proxy):
    fail_five_times(client, PROXY, lambda i: f"192.0.2.{i}, {ATTACKER}")
    assert login(client, PASSWORD, PROXY, f"192.0.2.99, {ATTACKER}") == 429


def test_without_a_proxy_the_header_is_ignored(client, clerk):
    fail_five_times(client, ATTACKER, lambda i: f"192.0.2.{i}")  # a new "address" at every try
    assert login(client, PASSWORD, ATTACKER, VICTIM) == 429
    assert login(client, PASSWORD, VICTIM) == 302


def test_going_round_the_proxy_the_header_is_ignored(client, clerk, behind_one_proxy):
    # A connection from an address that is not the trusted proxy: its own address counts.
    fail_five_times(client, ATTACKER, lambda i: f"192.0.2.{i}")
    assert login(client, PASSWORD, ATTACKER, VICTIM) == 429


rf = RequestFactory()


def address(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})}
    return client_ip(rf.get("/", **meta))


@pytest.mark.parametrize(
    ("count", "trusted", "remote", "forwarded", "expected"),
    [
        (0, None, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # no proxy: the header is not read
        (1, None, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, None, "127.0.0.1", "1.2.3.4, 10.20.30.40", "10.20.30.40"),  # a private intranet client
        (1, None, "127.0.0.1", None, "127.0.0.1"),  # not through the proxy after all
        (1, None, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, None, "127.0.0.1", "203.0.113.5:4711", "203.0.113.5"),
        (1, None, "::1", "[2001:db8::1]:4711", "2001:db8::1"),
        (2, None, "127.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # a balancer, then nginx
        (2, None, "127.0.0.1", "10.0.0.9", "127.0.0.1"),  # fewer hops than proxies
        (1, ("10.0.0.0/24",), "10.0.0.7", "203.0.113.5", "203.0.113.5"),  # the proxy on another host
        (1, ("10.0.0.0/24",), "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # loopback no longer trusted
        (1, ("8.8.8.0/24",), "8.8.8.8", "10.1.2.3", "10.1.2.3"),  # a public proxy, a private client
    ],
)
def test_the_client_address(settings, count, trusted, remote, forwarded, expected):
    settings.DUBAN_PROXY_COUNT = count
    if trusted:
        settings.DUBAN_TRUSTED_PROXIES = trusted
    assert address(remote, forwarded) == expected


def test_the_proxy_settings_are_read_and_a_bad_one_is_refused_naming_it():
    assert (parse_proxy_count(None), parse_proxy_count(" 2 ")) == (0, 2)
    assert parse_trusted_proxies("") == ("127.0.0.0/8", "::1/128")
    assert parse_trusted_proxies("10.0.0.5, 10.1.0.0/16") == ("10.0.0.5", "10.1.0.0/16")
    for bad in ("-1", "one", "1.5", "²"):
        with pytest.raises(ImproperlyConfigured, match="DUBAN_PROXY_COUNT"):
            parse_proxy_count(bad)
    with pytest.raises(ImproperlyConfigured, match=r"DUBAN_TRUSTED_PROXIES.*'nginx'"):
        parse_trusted_proxies("10.0.0.5,nginx")
