"""1,000 documents between two instances while the hub and the workers are killed and the network is cut.

Every ~4 s one of the hub, the sender's worker or the receiver's worker gets
``kill -9`` (and is started again, as a supervisor would); for 30 s the
connection between the instances and the hub is cut. Afterwards every document
has arrived exactly once with its file's checksum, every arrival status (01)
came back, the outboxes are empty and the hub's message log verifies.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tacnghiep.bus.tests import processes
from tacnghiep.exchange.tests.instances import Instance, instance

A = ("000.00.00.A51", "Tỉnh ủy Thử Lỗi A")
B = ("000.00.00.A52", "Tỉnh ủy Thử Lỗi B")
COUNT = 1000


class Proxy:
    """A TCP relay to the hub that can be cut: open connections are dropped and new ones refused."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.cut_until = 0.0
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self, seconds: float) -> None:
        self.cut_until = time.monotonic() + seconds
        with self.lock:
            for sock in list(self.open):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        self.open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _accept(self) -> None:
        while True:
            client, _address = self.server.accept()
            if time.monotonic() < self.cut_until:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        with self.lock:
            self._close(source)
            self._close(target)


@pytest.fixture
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[processes.Hub, Proxy, Instance, Instance]]:
    base = tmp_path_factory.mktemp("faults")
    hub = processes.hub(base, processes.database("tacnghiep_fault_hub"))
    hub.add_agency(*A)
    hub.add_agency(*B)
    hub.start(workers=2)
    proxy = Proxy(hub.port)
    extra = {"TACNGHIEP_EXCHANGE_TIMEOUT": "10"}
    a = instance("a", base, proxy.url, A, B, hub.secrets[A[0]], **extra)
    b = instance("b", base, proxy.url, B, A, hub.secrets[B[0]], **extra)
    yield hub, proxy, a, b
    a.stop()
    b.stop()
    hub.stop()


@pytest.mark.worker
def test_every_document_has_exactly_one_effect_after_kills_and_a_cut(setting):
    hub, proxy, a, b = setting
    a.act("bulk-issue", str(COUNT))
    a.start()
    b.start()

    victims = itertools.cycle(["hub", "a", "b"])
    kills = {"hub": 0, "a": 0, "b": 0}
    began = time.monotonic()
    cut_done = False
    while time.monotonic() - began < 75:
        time.sleep(4)
        victim = next(victims)
        if victim == "hub":
            hub.kill()
            time.sleep(1)
            hub.start(workers=2)
        else:
            (a if victim == "a" else b).kill_worker()
        kills[victim] += 1
        if not cut_done and time.monotonic() - began > 15:
            proxy.cut(30)
            cut_done = True

    b_state = b.wait(
        "every document at the receiver",
        lambda s: s["inbound"] >= COUNT and s["outbox_pending"] == 0,
        seconds=600,
        action="counts",
    )
    a_state = a.wait(
        "every arrival status at the sender",
        lambda s: s["recipients"].get("arrived", 0) == COUNT and s["outbox_pending"] == 0,
        seconds=600,
        action="counts",
    )
    assert b_state["inbound"] == COUNT
    assert a_state["outbox_failed"] == 0
    assert b_state["outbox_failed"] == 0

    sent = a.act("fingerprints")["sent"]
    received = b.act("fingerprints")["received"]
    assert len(sent) == COUNT
    # Exactly one effect per document, with the bytes that were sent.
    assert {doc: copies for doc, copies in received.items() if len(copies) != 1} == {}
    assert {doc: copies[0] for doc, copies in received.items()} == sent
    assert "đúng" in hub.run("log-verify")
    print(f"kills: {kills}; after faults: {time.monotonic() - began:.0f} s")
