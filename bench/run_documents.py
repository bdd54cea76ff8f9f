"""Benchmarks of the documents module at volume (issue 3's figures), on SQLite and on PostgreSQL.

For each backend: a fresh database with bench/generate.py's province and
bench/generate_documents.py's documents (1,000,000 by default) and their search
index; the app served as ``tacnghiep serve`` does (gunicorn, 2 workers × 4
threads) plus one Celery worker for indexing; then:

* registering an incoming document through the API (median, p95);
* the inbox page of a specialist, the register list page of a commune clerk and
  the incoming list of a provincial leader who reads the whole province (p95),
  and list throughput with 8 concurrent clients;
* search through the API for a provincial leader and a commune clerk (p95), and
  the same queries in-process (the engine and the permission filter alone);
* time from a registration's response until the document is found by search.

    python -m bench.run_documents --backend sqlite --documents 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from bench.run import RESULTS, ROOT, markdown, percentile, sign_in, throughput, timed

PASSWORD = "Bench-mat-khau-2026"
QUERIES = [
    "dai hoi chi bo",
    "phong chong thien tai",
    '"kiem diem danh gia"',
    "chuyển đổi số",
    "nghi quyet dai hoi dang bo tinh",
    "bao cao an ninh",
    "dang phi",
    "ket nap dang vien",
]
TOKEN_SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
django.setup()
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person
from tacnghiep.directory.services import auth
keys = {}
for name in ("vanthu.xa1", "cb000001", "chuyenvien.xa1"):
    _token, keys[name] = auth.create_api_token(actor=Actor(person=Person.objects.get(username=name)), name="bench")
from tacnghiep.documents.models import Register
keys["register"] = Register.objects.filter(organization__parent_id=1).order_by("pk").values_list("pk", flat=True)[0]
print(json.dumps(keys))
"""
ENGINE_SCRIPT = """
import django, json, os, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
django.setup()
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person
from tacnghiep.search import selectors
queries = json.loads(sys.argv[1])
out = {}
for name in ("cb000001", "vanthu.xa1"):
    actor = Actor(person=Person.objects.get(username=name))
    actor.grants
    for q in queries:
        selectors.search(actor, q)
    samples = []
    for i in range(400):
        began = time.perf_counter()
        selectors.search(actor, queries[i % len(queries)])
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    out[name] = {"n": 400, "median_ms": statistics.median(samples), "p95_ms": samples[int(0.95 * 399)],
                 "max_ms": samples[-1]}
print(json.dumps(out))
"""


def prepare(env: dict[str, str], documents: int) -> dict[str, float]:
    data_dir = Path(env["TACNGHIEP_DATA_DIR"])
    subprocess.run(["rm", "-rf", str(data_dir)], check=True)
    data_dir.mkdir(parents=True)
    tacnghiep = str(Path(sys.executable).parent / "tacnghiep")
    subprocess.run([tacnghiep, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "bench.generate"], env=env, check=True, cwd=ROOT)
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.generate_documents", "--documents", str(documents)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    print(out, flush=True)
    rate = [line for line in out.splitlines() if line.startswith("indexed")]
    return {"generate_and_index_s": round(time.perf_counter() - began, 1), "index_line": rate[-1] if rate else ""}


def measure(backend: str, env: dict[str, str], n: int, port: int, documents: int, reuse: bool) -> dict[str, object]:
    setup = {"reused": True} if reuse else prepare(env, documents)
    keys = json.loads(
        subprocess.run(
            [sys.executable, "-c", TOKEN_SCRIPT], env=env, check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tacnghiep.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tacnghiep", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, object] = {"documents": documents, **setup}
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/health/", timeout=2).ok:
                    break
            except requests.RequestException:  # not listening yet, or busy starting
                time.sleep(0.2)
        api = {name: requests.Session() for name in ("vanthu.xa1", "cb000001", "chuyenvien.xa1")}
        for name, session in api.items():
            session.headers["Authorization"] = f"Bearer {keys[name]}"
        register = keys["register"]

        def body(subject: str) -> dict[str, object]:
            return {
                "register": register,
                "arrived_at": time.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
                "received_via": "electronic",
                "issuer_name": "Văn phòng Tỉnh ủy",
                "code_notation": f"{uuid.uuid4().int % 10000}-CV/VPTU",
                "document_type": "cong-van",
                "subject": subject,
                "urgency": "thuong",
                "secrecy": "thuong",
                "confirm_duplicate": True,
            }

        clerk = api["vanthu.xa1"]
        results["register_incoming_api"] = timed(
            n,
            lambda i: clerk.post(
                f"{base}/api/v1/incoming-documents/", json=body(f"Công văn đo thời gian số {i}"), timeout=30
            ),
        )
        pages = {
            "inbox_page_specialist": (sign_in_as(base, "chuyenvien.xa1"), "/viec-can-lam/"),
            "register_list_page_commune_clerk": (sign_in_as(base, "vanthu.xa1"), f"/van-ban-den/?register={register}"),
            "incoming_list_page_province_leader": (sign_in_as(base, "cb000001"), "/van-ban-den/"),
        }
        for name, (session, path) in pages.items():
            results[name] = timed(n, lambda i, s=session, p=path: s.get(base + p, timeout=30))
        results["incoming_list_api_province_leader"] = timed(
            n, lambda i: api["cb000001"].get(f"{base}/api/v1/incoming-documents/", timeout=30)
        )

        def list_client() -> object:
            own = sign_in_as(base, "vanthu.xa1")
            return lambda i: own.get(f"{base}/van-ban-den/?register={register}", timeout=30)

        def api_list_client() -> object:
            own = requests.Session()
            own.headers["Authorization"] = f"Bearer {keys['vanthu.xa1']}"
            return lambda i: own.get(f"{base}/api/v1/incoming-documents/?register={register}", timeout=30)

        results["register_list_page_rps_c8"] = round(throughput(15, 8, list_client), 1)  # type: ignore[arg-type]
        results["register_list_api_rps_c8"] = round(throughput(15, 8, api_list_client), 1)  # type: ignore[arg-type]
        for who in ("cb000001", "vanthu.xa1"):
            results[f"search_api_{who}"] = timed(
                n,
                lambda i, s=api[who]: s.get(
                    f"{base}/api/v1/search/", params={"q": QUERIES[i % len(QUERIES)]}, timeout=30
                ),
            )
        engine = json.loads(
            subprocess.run(
                [sys.executable, "-c", ENGINE_SCRIPT, json.dumps(QUERIES)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
        )
        for who, figures in engine.items():
            results[f"search_engine_{who}"] = figures
        results["searchable_after_registration"] = searchable_latency(base, clerk, api["cb000001"], body)
        return results
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def sign_in_as(base: str, username: str) -> requests.Session:
    import bench.run as run

    original = run.USER
    run.USER = username
    try:
        return sign_in(base)
    finally:
        run.USER = original


def searchable_latency(base: str, clerk: requests.Session, reader: requests.Session, body: object) -> dict[str, float]:
    """From the registration's response to the first search that finds it (polling every 20 ms)."""
    samples = []
    for i in range(20):
        word = f"kiemtra{uuid.uuid4().hex[:10]}"
        response = clerk.post(
            f"{base}/api/v1/incoming-documents/",
            json=body(f"Văn bản thử tìm kiếm {word} số {i}"),
            timeout=30,  # type: ignore[operator]
        )
        response.raise_for_status()
        began = time.perf_counter()
        while time.perf_counter() - began < 30:
            hits = reader.get(f"{base}/api/v1/search/", params={"q": word}, timeout=30).json()
            if hits:
                break
            time.sleep(0.02)
        samples.append((time.perf_counter() - began) * 1000)
        time.sleep(0.3)
    return {
        "n": len(samples),
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "max_ms": max(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", default=os.environ.get("TACNGHIEP_BENCH_PG_URL", ""))
    parser.add_argument("--reuse", action="store_true", help="measure the database an earlier run generated")
    args = parser.parse_args()
    backends = args.backend or ["sqlite"]
    report: dict[str, object] = {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count()}
    for index, backend in enumerate(backends):
        env = {
            **os.environ,
            "TACNGHIEP_DATA_DIR": str(ROOT / "var" / "bench-documents" / backend),
            "TACNGHIEP_LOG_LEVEL": "WARNING",
        }
        env.pop("TACNGHIEP_DATABASE_URL", None)
        if backend == "postgresql":
            if not args.postgres_url:
                sys.exit("--postgres-url (or TACNGHIEP_BENCH_PG_URL) is required for the postgresql backend")
            env["TACNGHIEP_DATABASE_URL"] = args.postgres_url
        print(f"== {backend}", flush=True)
        report[backend] = measure(backend, env, args.requests, 8200 + index, args.documents, args.reuse)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"documents-{time.strftime('%Y%m%d-%H%M')}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    table = markdown(
        {
            k: {n: v for n, v in r.items() if isinstance(v, dict | float)} if isinstance(r, dict) else r
            for k, r in report.items()
        },
        backends,
    )
    out.with_suffix(".md").write_text(table)
    print(table)
    print(f"written {out} and {out.with_suffix('.md').name}")


if __name__ == "__main__":
    main()
