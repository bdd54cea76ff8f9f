"""The hub as its own process (``tacnghiep bus serve``), called over loopback by the exchange client."""

from __future__ import annotations

import hashlib
import http.client
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone

from tacnghiep.bus.tests import factories, processes
from tacnghiep.exchange import hubprotocol
from tacnghiep.exchange.hubclient import HubClient, HubError

TU = "000.00.00.A49"
BAN = "000.00.12.A49"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[processes.Hub]:
    running = processes.hub(tmp_path_factory.mktemp("hub-process"))
    running.add_agency(TU, "Tỉnh ủy")
    running.add_agency(BAN, "Ban Tuyên giáo")
    running.start(workers=2)
    yield running
    running.stop()


def client(hub: processes.Hub, code: str) -> HubClient:
    return HubClient(hub.url, code, hub.secrets[code], timeout=30)


def test_send_list_fetch_and_acknowledge_over_http(hub, tmp_path):
    tu, ban = client(hub, TU), client(hub, BAN)
    package = factories.document(TU, [BAN], number=7, payload=bytes(range(256)) * 400)
    doc_id = tu.send(package)
    assert tu.send(package) == doc_id  # a retry after a lost answer has no second effect
    listed = ban.received("edoc")
    assert [(row.sender, row.message_type) for row in listed] == [(TU, "edoc")]
    fetched = ban.fetch(listed[0].doc_id, tmp_path / "got.edxml")
    assert fetched.read_bytes() == package
    ban.update_status(listed[0].doc_id, "done")
    assert ban.received("edoc") == []
    assert [row["receiveStatus"] for row in tu.sent("edoc", doc_id)] == ["done"]
    assert {row["code"] for row in tu.agencies()} >= {TU, BAN}


def test_a_wrong_secret_is_refused_and_not_retried(hub):
    with pytest.raises(HubError) as refused:
        HubClient(hub.url, TU, "not-the-secret").received()
    assert refused.value.status == 401
    assert not refused.value.retry


def test_a_1_gb_package_is_refused_without_reading_it(hub):
    keys = {"from": TU, "servicetype": "eDoc", "messagetype": "edoc", "hash-file": "0"}
    headers = hubprotocol.signed_headers(TU, hub.secrets[TU], keys, timezone.now())
    connection = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
    started = time.monotonic()
    connection.putrequest("POST", "/sendEdoc")
    for name, value in {**headers, "Content-Length": str(2**30), "Content-Type": "application/octet-stream"}.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(b"<" * 65536)
    response = connection.getresponse()
    body = response.read().decode()
    elapsed = time.monotonic() - started
    connection.close()
    assert response.status == 413, body
    assert "giới hạn" in body
    print(f"1 GB package refused in {elapsed * 1000:.0f} ms")
    stored = hub.data_dir / "bus" / "packages"
    assert not any(p.stat().st_size > 2**20 for p in stored.rglob("*") if p.is_file())
    spool = hub.data_dir / "bus" / "tmp"
    assert not any(spool.glob("*")) if spool.exists() else True


def test_the_hash_file_header_uses_the_sdk_form(hub):
    package = factories.document(TU, [BAN], number=8)
    digest = hashlib.sha256(package).digest()
    assert hubprotocol.sdk_hex(digest) != digest.hex() or b"\x00" not in digest
    assert hubprotocol.sdk_hex(bytes([0x0A, 0xFF, 0x00])) == "aff0"
    assert client(hub, TU).send(package)
