"""Revocation from a CRL served on loopback: a revoked signer is invalid; B-LT embeds the CRL for later, offline."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tacnghiep.directory.actors import Actor
from tacnghiep.signing import keys, pdfsign, verification
from tacnghiep.signing.services import registry, signatures
from tacnghiep.signing.tests.pki import PASSWORD, Pki, official_pdf


@pytest.fixture
def crl_server() -> Iterator[dict[str, Any]]:
    """An HTTP server on 127.0.0.1 answering GET /crl with whatever CRL the test sets."""
    state: dict[str, Any] = {"crl": b"", "requests": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["requests"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(state["crl"])))
            self.end_headers()
            self.wfile.write(state["crl"])

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/crl"
    yield state
    server.shutdown()
    server.server_close()


def test_a_revoked_signer_is_invalid_when_revocation_is_reachable(crl_server):
    pki = Pki("CA có danh sách thu hồi")
    holder = pki.issue("Người bị thu hồi", "Đơn vị thử", crl_url=crl_server["url"])
    signed = pdfsign.sign(official_pdf(), keys.pkcs12_signer(holder.p12(pki.root), PASSWORD), pdfsign.Job("A"))
    crl_server["crl"] = pki.crl(revoked=[])
    online = verification.Policy(
        trust_roots=[pki.root_der], allow_fetching=True, revocation_mode="hard-fail", revocation_cache_seconds=0
    )
    assert verification.verify(signed, online)["status"] == "valid"

    crl_server["crl"] = pki.crl(revoked=[holder])
    [signature] = verification.verify(signed, online)["signatures"]
    assert signature["status"] == "invalid"
    assert signature["reason"] == "revoked"


def test_b_lt_embeds_revocation_data_that_validates_offline(world, settings, tmp_path, crl_server, monkeypatch):
    pki = Pki("CA cho B-LT")
    holder = pki.issue("Đảng ủy xã A", "Đảng ủy xã A", crl_url=crl_server["url"])
    crl_server["crl"] = pki.crl(revoked=[])
    admin = Actor(person=world.sysadmin)
    monkeypatch.setenv("TACNGHIEP_TEST_P12_PASSWORD", PASSWORD)
    registry.add_trust_root(actor=admin, data=pki.root_der, name="CA cho B-LT")
    certificate = registry.register_certificate(actor=admin, data=holder.der, organization=world.commune_a)
    key = registry.configure_key(
        actor=admin,
        certificate=certificate,
        location=keys.KeyLocation(
            kind="pkcs12",
            path=str(holder.write_p12(tmp_path, "lt", pki.root)),
            secret_env="TACNGHIEP_TEST_P12_PASSWORD",
        ),
    )
    settings.SIGNING_EMBED_REVOCATION = True

    data = signatures.sign_attachment(key=key, data=official_pdf(), notation="02-KH/ĐU")

    assert b"/DSS" in data  # the document security store with the CRL
    crl_server["crl"] = b""  # the CRL is no longer reachable
    offline = verification.Policy(trust_roots=[pki.root_der], allow_fetching=False, revocation_mode="hard-fail")
    assert verification.verify(data, offline)["status"] == "valid"
    plain = pdfsign.sign(official_pdf(), keys.pkcs12_signer(holder.p12(pki.root), PASSWORD), pdfsign.Job("B"))
    assert verification.verify(plain, offline)["status"] != "valid"  # without embedded data it cannot be shown


def test_fetched_revocation_data_is_reused_for_an_hour(crl_server):
    pki = Pki("CA cho bộ nhớ đệm")
    holder = pki.issue("Người ký", "Đơn vị thử", crl_url=crl_server["url"])
    signed = pdfsign.sign(official_pdf(), keys.pkcs12_signer(holder.p12(pki.root), PASSWORD), pdfsign.Job("A"))
    crl_server["crl"] = pki.crl(revoked=[])
    cached = verification.Policy(trust_roots=[pki.root_der], allow_fetching=True, revocation_mode="hard-fail")
    for _ in range(3):
        assert verification.verify(signed, cached)["status"] == "valid"
    assert crl_server["requests"] == 1
    uncached = verification.Policy(
        trust_roots=[pki.root_der], allow_fetching=True, revocation_mode="hard-fail", revocation_cache_seconds=0
    )
    verification.verify(signed, uncached)
    assert crl_server["requests"] == 2
