"""Benchmarks of the foundation pages on the embedded default and on PostgreSQL.

For each backend: a fresh database, the generator's 5,000 organizations and
50,000 people, the app served by gunicorn (2 sync workers, as `tacnghiep serve`)
on loopback, then sequential timed requests (median, p95) and a short
concurrent run for throughput. Results go to bench/results/.

    python -m bench.run --backend sqlite --backend postgresql --requests 200
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PASSWORD = "Bench-mat-khau-2026"
USER = "cb000001"  # a leader of the provincial committee: reads the whole province
QUERIES = ["nguyen", "tran thi", "hoa", "le van hung", "cb012345", "dang ngoc", "pham", "vy"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def timed(n: int, call: Callable[[int], requests.Response], warmup: int = 10) -> dict[str, float]:
    for i in range(warmup):
        call(i).raise_for_status()
    samples = []
    for i in range(n):
        began = time.perf_counter()
        response = call(i)
        samples.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
    return {
        "n": n,
        "median_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 0.95),
        "max_ms": max(samples),
    }


def throughput(seconds: float, threads: int, make_call: Callable[[], Callable[[int], requests.Response]]) -> float:
    deadline = time.perf_counter() + seconds

    def worker() -> int:
        call, count = make_call(), 0
        while time.perf_counter() < deadline:
            call(count).raise_for_status()
            count += 1
        return count

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(lambda _: worker(), range(threads)))
    return total / seconds


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/dang-nhap/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/dang-nhap/",
        data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def prepare(backend: str, env: dict[str, str]) -> None:
    data_dir = Path(env["TACNGHIEP_DATA_DIR"])
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    tacnghiep = str(Path(sys.executable).parent / "tacnghiep")
    subprocess.run([tacnghiep, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([sys.executable, "-m", "bench.generate"], env=env, check=True, cwd=ROOT)


def measure(backend: str, env: dict[str, str], n: int, port: int) -> dict[str, object]:
    prepare(backend, env)
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
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/health/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        session = sign_in(base)
        root = 1
        commune = 1 + 1 + 12 + 1  # the first commune committee (see bench/generate.py)

        def signin_call(_i: int) -> requests.Response:
            fresh = requests.Session()
            page = fresh.get(f"{base}/dang-nhap/", timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            began = time.perf_counter()
            response = fresh.post(
                f"{base}/dang-nhap/",
                data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
                allow_redirects=False,
                timeout=30,
            )
            response.elapsed_ms = (time.perf_counter() - began) * 1000  # type: ignore[attr-defined]
            return response

        # Sign-in is timed on the POST alone (the form GET happens first, untimed).
        samples = []
        for i in range(min(n, 100) + 5):
            response = signin_call(i)
            assert response.status_code == 302
            if i >= 5:
                samples.append(response.elapsed_ms)  # type: ignore[attr-defined]
        results: dict[str, object] = {
            "sign_in_post": {
                "n": len(samples),
                "median_ms": statistics.median(samples),
                "p95_ms": percentile(samples, 0.95),
                "max_ms": max(samples),
            },
        }
        hx = {"HX-Request": "true"}
        pages: dict[str, Callable[[int], requests.Response]] = {
            "tree_page": lambda i: session.get(f"{base}/to-chuc/", timeout=30),
            "tree_children_province_137": lambda i: session.get(f"{base}/to-chuc/{root}/con/", timeout=30),
            "tree_children_commune_39": lambda i: session.get(f"{base}/to-chuc/{commune}/con/", timeout=30),
            "organization_detail": lambda i: session.get(f"{base}/to-chuc/{commune}/", timeout=30),
            "people_search_page": lambda i: session.get(f"{base}/can-bo/?q={QUERIES[i % len(QUERIES)]}", timeout=30),
            "people_search_live": lambda i: session.get(
                f"{base}/can-bo/?q={QUERIES[i % len(QUERIES)]}", headers=hx, timeout=30
            ),
            "api_people_search": lambda i: session.get(
                f"{base}/api/v1/people/?q={QUERIES[i % len(QUERIES)]}", timeout=30
            ),
        }
        for name, call in pages.items():
            results[name] = timed(n, call)

        def search_client() -> Callable[[int], requests.Response]:
            own = sign_in(base)
            return lambda i: own.get(f"{base}/can-bo/?q={QUERIES[i % len(QUERIES)]}", headers=hx, timeout=30)

        results["people_search_live_rps_c8"] = round(throughput(10, 8, search_client), 1)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres-url", default=os.environ.get("TACNGHIEP_BENCH_PG_URL", ""))
    args = parser.parse_args()
    backends = args.backend or ["sqlite"]
    report: dict[str, object] = {"when": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count()}
    for index, backend in enumerate(backends):
        env = {
            **os.environ,
            "TACNGHIEP_DATA_DIR": str(ROOT / "var" / "bench" / backend),
            "TACNGHIEP_LOG_LEVEL": "WARNING",
        }
        env.pop("TACNGHIEP_DATABASE_URL", None)
        if backend == "postgresql":
            if not args.postgres_url:
                sys.exit("--postgres-url (or TACNGHIEP_BENCH_PG_URL) is required for the postgresql backend")
            env["TACNGHIEP_DATABASE_URL"] = args.postgres_url
        print(f"== {backend}", flush=True)
        report[backend] = measure(backend, env, args.requests, 8100 + index)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"directory-{time.strftime('%Y%m%d-%H%M')}.json"
    out.write_text(json.dumps(report, indent=1))
    table = markdown(report, backends)
    out.with_suffix(".md").write_text(table)
    print(table)
    print(f"written {out} and {out.with_suffix('.md').name}")


def markdown(report: dict[str, object], backends: list[str]) -> str:
    """One row per measurement, median and p95 per backend (milliseconds)."""
    first = report[backends[0]]
    assert isinstance(first, dict)
    header = "| measurement | " + " | ".join(f"{b} median | {b} p95" for b in backends) + " |"
    lines = [header, "|---" * (1 + 2 * len(backends)) + "|"]
    for name in first:
        cells = []
        for backend in backends:
            entry = report[backend][name]  # type: ignore[index]
            if isinstance(entry, dict):
                cells += [f"{entry['median_ms']:.1f} ms", f"{entry['p95_ms']:.1f} ms"]
            else:
                cells += [f"{entry} req/s", ""]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
