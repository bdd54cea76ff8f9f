"""PAdES B-T: a real RFC 3161 timestamp authority on loopback; signing fails closed when it is down."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError

from tacnghiep.signing import verification
from tacnghiep.signing.services import signatures
from tacnghiep.signing.tests import tamper
from tacnghiep.signing.tests.pki import official_pdf


@pytest.fixture
def tsa_url(pki) -> Iterator[str]:
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    holder = pki.issue_tsa()
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(holder.der),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            holder.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_timestamp_authority_makes_the_signature_b_t(settings, signing_keys, tsa_url, pki):
    settings.SIGNING_TSA_URL = tsa_url
    data = signatures.sign_attachment(key=signing_keys.organization, data=official_pdf(), notation="01-KH/ĐU")

    [signature] = verification.verify(data, verification.Policy(trust_roots=[pki.root_der]))["signatures"]
    assert signature["status"] == "valid"
    assert signature["timestamp"] is not None
    [poppler] = tamper.pdfsig(data)
    assert poppler["valid"], poppler["text"]


def test_signing_fails_closed_when_the_timestamp_authority_is_down(settings, signing_keys):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(ValidationError):
        signatures.sign_attachment(key=signing_keys.organization, data=official_pdf(), notation="01-KH/ĐU")
