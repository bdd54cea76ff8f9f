"""Fixtures of the signing tests: a test CA, PKCS#12 files, a SoftHSM2 token, keys registered for commune A."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tacnghiep.core.tests import samples
from tacnghiep.directory.actors import Actor
from tacnghiep.documents.tests.conftest import outgoing_register, register  # noqa: F401 - shared fixtures
from tacnghiep.signing import keys
from tacnghiep.signing.models import Certificate, SigningKey
from tacnghiep.signing.services import registry
from tacnghiep.signing.tests.pki import PASSWORD, Holder, Pki

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_PIN = "246810"


@pytest.fixture(scope="session")
def pki() -> Pki:
    return Pki()


@pytest.fixture(scope="session")
def leader_holder(pki: Pki) -> Holder:
    return pki.issue("Phạm Văn Bí Thư", "Đảng ủy xã A")


@pytest.fixture(scope="session")
def organization_holder(pki: Pki) -> Holder:
    return pki.issue("Đảng ủy xã A", "Đảng ủy xã A")


@pytest.fixture(autouse=True)
def _fresh_keys() -> Iterator[None]:
    keys.forget()
    yield
    keys.forget()


@dataclass
class Token:
    location: keys.KeyLocation
    certificate_der: bytes


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory, organization_holder: Holder) -> Iterator[Token]:
    """A real PKCS#11 token (SoftHSM2) holding the organization's key."""
    if not Path(SOFTHSM_LIBRARY).exists() or shutil.which("softhsm2-util") is None:
        pytest.fail("SoftHSM2 is missing: make test installs the Debian package softhsm2")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    os.environ["TACNGHIEP_TEST_TOKEN_PIN"] = TOKEN_PIN
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", "to-chuc", "--so-pin", "135790", "--pin", TOKEN_PIN],
        check=True,
        capture_output=True,
    )
    key_file = folder / "key.pem"
    key_file.write_bytes(organization_holder.key_pem())
    subprocess.run(
        [
            *util,
            "--import",
            str(key_file),
            "--token",
            "to-chuc",
            "--label",
            "khoa-to-chuc",
            "--id",
            "01",
            "--pin",
            TOKEN_PIN,
        ],
        check=True,
        capture_output=True,
    )
    key_file.unlink()
    yield Token(
        keys.KeyLocation(
            kind="pkcs11",
            path=SOFTHSM_LIBRARY,
            token_label="to-chuc",
            key_label="khoa-to-chuc",
            secret_env="TACNGHIEP_TEST_TOKEN_PIN",
        ),
        organization_holder.der,
    )
    keys.forget()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@dataclass
class Signing:
    leader: SigningKey
    organization: SigningKey
    root_der: bytes


@pytest.fixture
def signing_keys(
    world: Any,
    pki: Pki,
    leader_holder: Holder,
    organization_holder: Holder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Signing:
    """The test CA trusted; leader A and commune A with certificates and PKCS#12 keys on the server."""
    admin = Actor(person=world.sysadmin)
    monkeypatch.setenv("TACNGHIEP_TEST_P12_PASSWORD", PASSWORD)
    registry.add_trust_root(actor=admin, data=pki.root_der, name="CA thử nghiệm")
    made: list[SigningKey] = []
    for holder, name, target in (
        (leader_holder, "lanh-dao", {"person": world.leader_a}),
        (organization_holder, "to-chuc", {"organization": world.commune_a}),
    ):
        certificate: Certificate = registry.register_certificate(actor=admin, data=holder.der, **target)
        path = holder.write_p12(tmp_path, name, pki.root)
        made.append(
            registry.configure_key(
                actor=admin,
                certificate=certificate,
                location=keys.KeyLocation(kind="pkcs12", path=str(path), secret_env="TACNGHIEP_TEST_P12_PASSWORD"),
                image=samples.named(f"{name}.png", samples.png(120, 60)),
            )
        )
    return Signing(leader=made[0], organization=made[1], root_der=pki.root_der)
