"""Signatures and validations per second on this machine, against pyHanko's defaults in the same run.

    python -m bench.run_signing [--seconds 10] [--processes 2]

Each figure runs ``--processes`` worker processes (one per core) for ``--seconds``
on a 1-page official-looking PDF with an RSA-2048 key from a PKCS#12 file:

* pyHanko defaults: ``SimpleSigner.load_pkcs12`` once, ``PdfSigner.sign_pdf`` with no
  reserved size (a dry-run signature estimates it; the key is parsed per signature);
* ours: :class:`tacnghiep.signing.keys.CachedKeySigner` (key parsed once) with a fixed
  reserved size, through :func:`tacnghiep.signing.pdfsign.sign`;
* validation with pyHanko's defaults (``validate_pdf_signature``), ours in-process
  (:func:`tacnghiep.signing.verification.verify`, root trusted, difference analysis,
  the fast hex-string reader), and through the bounded child-process pool that
  every upload uses (which also counts pages and checks the file's structure).

Results go to bench/results/signing.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _material() -> tuple[bytes, bytes, bytes, bytes]:
    from tacnghiep.signing import keys, pdfsign
    from tacnghiep.signing.tests.pki import PASSWORD, Pki, official_pdf

    pki = Pki()
    holder = pki.issue("Đảng ủy xã Thử", "Đảng ủy xã Thử")
    p12 = holder.p12(pki.root, PASSWORD)
    source = official_pdf()
    signed = pdfsign.sign(source, keys.pkcs12_signer(p12, PASSWORD), pdfsign.Job(field_name="ChuKyCoQuan"))
    return p12, source, signed, pki.root_der


def _loop(kind: str, material: tuple[bytes, bytes, bytes, bytes], seconds: float, queue: Any) -> None:
    from tacnghiep.signing.tests.pki import PASSWORD

    p12, source, signed, root = material
    work: Any
    if kind == "sign-defaults":
        from pyhanko.sign import signers

        with tempfile.NamedTemporaryFile(suffix=".p12") as handle:
            handle.write(p12)
            handle.flush()
            signer = signers.SimpleSigner.load_pkcs12(handle.name, passphrase=PASSWORD.encode())

        def work() -> None:
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

            writer = IncrementalPdfFileWriter(io.BytesIO(source))
            signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Sig"), signer=signer)

    elif kind == "sign-ours":
        from tacnghiep.signing import keys, pdfsign

        cached = keys.pkcs12_signer(p12, PASSWORD)

        def work() -> None:
            pdfsign.sign(source, cached, pdfsign.Job(field_name="ChuKyCoQuan"))

    elif kind == "validate-defaults":
        from asn1crypto import x509
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        trusted = [x509.Certificate.load(root)]

        def work() -> None:
            reader = PdfFileReader(io.BytesIO(signed))
            status = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=trusted))
            assert status.bottom_line

    elif kind == "validate":
        from tacnghiep.signing import verification

        policy = verification.Policy(trust_roots=[root])

        def work() -> None:
            assert verification.verify(signed, policy)["status"] == "valid"

    else:  # validate through the bounded pool, as every upload does
        from tacnghiep.signing import verification
        from tacnghiep.signing.sandbox import Pool

        pool = Pool(1, 1024)
        header = {"max_pages": 2000, "policy": verification.Policy(trust_roots=[root]).to_json()}

        def work() -> None:
            assert pool.ask(header, signed, 30)["signatures"]["status"] == "valid"

    work()  # warm up: imports, caches
    durations = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        work()
        durations.append(time.perf_counter() - started)
    queue.put(durations)


def measure(kind: str, material: tuple[bytes, bytes, bytes, bytes], seconds: float, processes: int) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_loop, args=(kind, material, seconds, queue)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    per_process = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    durations = [d for run in per_process for d in run]
    return {
        "kind": kind,
        "processes": processes,
        "per_second": round(sum(len(run) / seconds for run in per_process), 1),
        "median_ms": round(statistics.median(durations) * 1000, 2),
        "p95_ms": round(statistics.quantiles(durations, n=20)[18] * 1000, 2),
        "count": len(durations),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    material = _material()
    rows = [
        measure(kind, material, args.seconds, args.processes)
        for kind in ("sign-defaults", "sign-ours", "validate-defaults", "validate", "validate-bounded")
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "signing.json").write_text(json.dumps(rows, indent=2))
    print(f"{'measurement':<20} {'per second':>11} {'median ms':>10} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['kind']:<20} {row['per_second']:>11} {row['median_ms']:>10} {row['p95_ms']:>8}")
    print(f"signing speed-up over pyHanko defaults: {rows[1]['per_second'] / rows[0]['per_second']:.1f}x")
    print(f"validation speed-up over pyHanko defaults: {rows[3]['per_second'] / rows[2]['per_second']:.1f}x")


if __name__ == "__main__":
    main()
