"""``tacnghiep pdf sign`` and ``tacnghiep pdf verify`` run as separate processes, with a PKCS#12 file and a token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tacnghiep.signing.tests import tamper
from tacnghiep.signing.tests.pki import PASSWORD, Pki, official_pdf

BIN = Path(sys.executable).parent / "tacnghiep"


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TACNGHIEP_DATA_DIR": str(tmp_path / "data"), "CLI_P12_PASSWORD": PASSWORD}
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_sign_and_verify_from_the_command_line(tmp_path, pki, organization_holder, softhsm):
    source = tmp_path / "in.pdf"
    source.write_bytes(official_pdf())
    p12 = organization_holder.write_p12(tmp_path, "to-chuc", pki.root)
    root = tmp_path / "root.der"
    root.write_bytes(pki.root_der)
    certificate = tmp_path / "cert.der"
    certificate.write_bytes(softhsm.certificate_der)

    signed = _run(
        "pdf",
        "sign",
        str(source),
        str(tmp_path / "a.pdf"),
        "--p12",
        str(p12),
        "--password-env",
        "CLI_P12_PASSWORD",
        "--text-line",
        "01-KH/ĐU 2026-11-22T08:00:00+07:00",
        tmp_path=tmp_path,
    )
    assert signed.returncode == 0, signed.stderr
    token = _run(
        "pdf",
        "sign",
        str(tmp_path / "a.pdf"),
        str(tmp_path / "b.pdf"),
        "--pkcs11",
        softhsm.location.path,
        "--token",
        "to-chuc",
        "--key",
        "khoa-to-chuc",
        "--password-env",
        "TACNGHIEP_TEST_TOKEN_PIN",
        "--certificate",
        str(certificate),
        "--field",
        "ChuKyToken",
        tmp_path=tmp_path,
    )
    assert token.returncode == 0, token.stderr

    verified = _run("pdf", "verify", str(tmp_path / "b.pdf"), "--json", "--trust", str(root), tmp_path=tmp_path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    verdict = json.loads(verified.stdout)
    assert [s["status"] for s in verdict["signatures"]] == ["valid", "valid"]
    other_root = tmp_path / "other.der"
    other_root.write_bytes(Pki("CA khác").root_der)
    untrusted = _run("pdf", "verify", str(tmp_path / "b.pdf"), "--trust", str(other_root), tmp_path=tmp_path)
    assert untrusted.returncode == 1
    (tmp_path / "c.pdf").write_bytes(tamper.append_page((tmp_path / "b.pdf").read_bytes()))
    modified = _run("pdf", "verify", str(tmp_path / "c.pdf"), "--trust", str(root), tmp_path=tmp_path)
    assert modified.returncode == 1
    assert modified.stdout.startswith("modified")
    wrong = _run("pdf", "sign", str(source), str(tmp_path / "d.pdf"), "--p12", str(p12), tmp_path=tmp_path)
    assert wrong.returncode != 0
    assert "Không mở được khóa ký" in wrong.stderr
