import pytest
from django.test import RequestFactory

from tacnghiep.core.context import client_address_of


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", "198.51.100.1", [], "203.0.113.5"),  # untrusted sender: header ignored
        ("10.0.0.1", "198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "198.51.100.1, 10.0.0.2", ["10.0.0.1", "10.0.0.2"], "198.51.100.1"),
        ("10.0.0.1", "evil, 198.51.100.1", ["10.0.0.1"], "198.51.100.1"),
        ("10.0.0.1", "not-an-ip", ["10.0.0.1"], "10.0.0.1"),
    ],
)
def test_forwarded_for_counts_only_from_trusted_proxies(settings, remote, forwarded, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address_of(request) == expected
