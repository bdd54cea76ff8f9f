"""Two provinces' instances and the hub, each its own process, exchanging one document end to end.

Each instance has its own database and data folder and runs its own worker and
scheduler (which poll the hub and send the outbox); the test acts in an
instance through ``tacnghiep.exchange.tests.province`` (a process per action).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tacnghiep.bus.tests import processes
from tacnghiep.documents.models import DeliveryState
from tacnghiep.exchange.tests.instances import Instance, instance

A = ("000.00.00.A49", "Tỉnh ủy An Giang Thử")
B = ("000.00.00.A50", "Tỉnh ủy Bình Định Thử")


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    base = tmp_path_factory.mktemp("two-provinces")
    hub = processes.hub(base)
    hub.add_agency(*A)
    hub.add_agency(*B)
    hub.start()
    a = instance("a", base, hub.url, A, B, hub.secrets[A[0]])
    b = instance("b", base, hub.url, B, A, hub.secrets[B[0]])
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()
    hub.stop()


@pytest.mark.worker
def test_a_document_travels_between_two_provinces_and_its_sender_sees_every_step(provinces):
    a, b = provinces
    issued = a.act("issue", "Kế hoạch phối hợp liên tỉnh")
    outgoing = issued["outgoing"]

    arrived = b.wait("the package arriving", lambda s: any(i["state"] == "waiting" for i in s["inbound"]))
    assert [i["business"] for i in arrived["inbound"]] == ["0"]
    [incoming] = b.act("register-waiting")["registered"]
    b.act("handle", str(incoming))

    final = a.wait("status 06", lambda s: s["recipients"] and s["recipients"][0]["state"] == "done")
    history = final["history"][str(outgoing)]
    # Sent, then 01, 03, 04, 05, 06 from the recipient's system, in that order.
    steps = ["sent", "arrived", "registered", "assigned", "processing", "done"]
    assert history == [f"{B[1]}: {DeliveryState(step).label}." for step in steps]
    assert final["outbox"]["pending"] == 0

    received = b.act("state")["incoming"]
    assert [(d["notation"], d["subject"], d["files"], d["withdrawn"]) for d in received] == [
        (issued["notation"], "Kế hoạch phối hợp liên tỉnh", 1, False)
    ]

    a.act("revoke", str(outgoing), "Ban hành nhầm nơi nhận")
    withdrawn = b.wait("the revocation", lambda s: s["incoming"][0]["withdrawn"])
    # The document is removed (its file), its metadata kept in the register.
    assert withdrawn["incoming"][0]["files"] == 0
    assert withdrawn["incoming"][0]["notation"] == issued["notation"]
    assert [i["state"] for i in withdrawn["inbound"] if i["business"] in ("0", "1")] == ["withdrawn", "applied"]
