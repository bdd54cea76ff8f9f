"""The hub's durable intake on PostgreSQL, against PostgreSQL's own insert rate for the same payloads.

    python -m bench.run_bus --postgres-url postgresql://…/tacnghiep_bench [--seconds 10] [--clients 8]

For 100 KiB and 1 MiB packages (a document package whose PDF attachment fills the
size, each with its own DocumentId):

* **stored per second**: ``--clients`` concurrent senders (threads in ``--processes``
  processes) call ``sendEdoc`` on a real ``tacnghiep bus serve`` (gunicorn, 2 workers
  × 8 threads) for ``--seconds``; each call is signed (HMAC), the hub spools the body,
  parses it, decodes and hashes the attachment, fsyncs the file, records package,
  delivery and a signed log record in one transaction and only then answers;
* **receipt latency at half load**: an open-loop sender at half the measured rate;
  median and p95 from sending to the hub's answer;
* **raw PostgreSQL ceiling**: the same payloads inserted into a ``bytea`` column, one row
  per transaction (``synchronous_commit`` on), by 4 concurrent connections;
* **1 GB refusal**: time until a ``sendEdoc`` declaring 1 GB is answered 413.

The load generator shares the machine's 2 cores with the hub and PostgreSQL.
Results go to bench/results/bus.json.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
SENDER = "000.00.00.A49"
RECIPIENT = "000.00.12.A49"


def _template(size: int) -> bytes:
    """A document package of about ``size`` bytes, with a marker where each copy's number goes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    import django

    django.setup()
    from tacnghiep.bus.tests import factories

    attachment = b"%PDF-1.4\n" + os.urandom(size * 3 // 4 - 400)
    return factories.document(SENDER, [RECIPIENT], number=999999999, payload=attachment)


def _numbered(template: bytes, number: int) -> bytes:
    return template.replace(b"999999999", f"{number:09d}".encode())


def _headers(secret: str, body: bytes) -> dict[str, str]:
    from django.utils import timezone

    from tacnghiep.exchange import hubprotocol

    keys = {
        "from": SENDER,
        "servicetype": "eDoc",
        "messagetype": "edoc",
        hubprotocol.HASH_FILE: hubprotocol.sdk_hex(hashlib.sha256(body).digest()),
    }
    headers = hubprotocol.signed_headers(SENDER, secret, keys, timezone.now())
    headers["Content-Type"] = "application/octet-stream"
    return headers


def _send(connection: http.client.HTTPConnection, secret: str, body: bytes) -> float:
    started = time.perf_counter()
    connection.request("POST", "/sendEdoc", body=body, headers=_headers(secret, body))
    response = connection.getresponse()
    answer = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {answer[:300]!r}")
    return time.perf_counter() - started


def _closed_loop(port: int, secret: str, template: bytes, start: int, threads: int, seconds: float, queue: Any) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    import django

    django.setup()
    counts: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        number = start + offset * 1_000_000
        done = 0
        mine: list[float] = []
        while time.monotonic() < deadline:
            mine.append(_send(connection, secret, _numbered(template, number)))
            number += 1
            done += 1
        with lock:
            counts.append(done)
            latencies.extend(mine)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((sum(counts), latencies))


def _open_loop(port: int, secret: str, template: bytes, start: int, rate: float, seconds: float) -> list[float]:
    """Send at a fixed rate from a pool of connections; the latency of each call."""
    latencies: list[float] = []
    lock = threading.Lock()
    interval = 1.0 / rate
    slots = threading.Semaphore(32)

    def one(number: int) -> None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            latency = _send(connection, secret, _numbered(template, number))
            connection.close()
            with lock:
                latencies.append(latency)
        finally:
            slots.release()

    began = time.perf_counter()
    number = start
    threads = []
    while time.perf_counter() - began < seconds:
        target = began + (number - start) * interval
        pause = target - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        slots.acquire()
        thread = threading.Thread(target=one, args=(number,))
        thread.start()
        threads.append(thread)
        number += 1
    for thread in threads:
        thread.join()
    return latencies


def _raw_insert(url: str, payload: bytes, seconds: float, queue: Any) -> None:
    import psycopg

    done = 0
    deadline = time.monotonic() + seconds
    with psycopg.connect(url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            connection.execute("INSERT INTO bench_raw (sha256, body) VALUES (%s, %s)", (os.urandom(32).hex(), payload))
            done += 1
    queue.put(done)


def raw_ceiling(url: str, payload: bytes, seconds: float, clients: int = 4) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_raw")
        connection.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, sha256 text, body bytea)")
    queue: Any = multiprocessing.Queue()
    runners = [multiprocessing.Process(target=_raw_insert, args=(url, payload, seconds, queue)) for _ in range(clients)]
    for runner in runners:
        runner.start()
    total = sum(queue.get() for _ in runners)
    for runner in runners:
        runner.join()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE bench_raw")
    return total / seconds


def refuse_1gb(port: int, secret: str) -> float:
    from django.utils import timezone

    from tacnghiep.exchange import hubprotocol

    keys = {"from": SENDER, "servicetype": "eDoc", "messagetype": "edoc", "hash-file": "0"}
    headers = hubprotocol.signed_headers(SENDER, secret, keys, timezone.now())
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.putrequest("POST", "/sendEdoc")
    for name, value in {**headers, "Content-Length": str(2**30)}.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(b"<" * 65536)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 413:
        raise RuntimeError(f"1 GB package answered {response.status}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tacnghiep.settings")
    import django

    django.setup()
    from tacnghiep.bus.tests import processes

    base = Path(tempfile.mkdtemp(prefix="bench-bus-"))
    hub = processes.hub(base, args.postgres_url)
    hub.add_agency(SENDER, "Tỉnh ủy")
    hub.add_agency(RECIPIENT, "Ban Tuyên giáo")
    hub.start(workers=2, threads=8)
    secret = hub.secrets[SENDER]
    rows: list[dict[str, Any]] = []
    try:
        refusal = refuse_1gb(hub.port, secret)
        number = 1
        for label, size in (("100 KiB", 100 * 1024), ("1 MiB", 1024 * 1024)):
            template = _template(size)
            ceiling = raw_ceiling(args.postgres_url, template, args.seconds)
            queue: Any = multiprocessing.Queue()
            per_process = max(1, args.clients // args.processes)
            senders = [
                multiprocessing.Process(
                    target=_closed_loop,
                    args=(hub.port, secret, template, number + i * 10**8, per_process, args.seconds, queue),
                )
                for i in range(args.processes)
            ]
            for sender in senders:
                sender.start()
            results = [queue.get() for _ in senders]
            for sender in senders:
                sender.join()
            number += len(senders) * 10**8
            stored = sum(count for count, _ in results) / args.seconds
            loaded = [latency for _, latencies in results for latency in latencies]
            half = _open_loop(hub.port, secret, template, number, max(stored / 2, 1.0), args.seconds)
            number += 10**7
            rows.append(
                {
                    "payload": label,
                    "bytes": len(template),
                    "stored_per_s": round(stored, 1),
                    "latency_full_load_p50_ms": round(statistics.median(loaded) * 1000, 1),
                    "half_load_rate": round(stored / 2, 1),
                    "half_load_p50_ms": round(statistics.median(half) * 1000, 1),
                    "half_load_p95_ms": round(statistics.quantiles(half, n=20)[18] * 1000, 1),
                    "raw_pg_insert_per_s": round(ceiling, 1),
                    "ratio_to_raw": round(stored / ceiling, 2) if ceiling else None,
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    finally:
        hub.stop()
    verify = hub.run("log-verify").strip()
    result = {"rows": rows, "refuse_1gb_ms": round(refusal * 1000, 1), "log_verify": verify}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bus.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print("| payload | stored/s | half-load p50 / p95 | raw PostgreSQL insert/s | ratio |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['payload']} | {row['stored_per_s']} | {row['half_load_p50_ms']} / {row['half_load_p95_ms']} ms "
            f"| {row['raw_pg_insert_per_s']} | {row['ratio_to_raw']} |"
        )
    print(f"1 GB package refused in {result['refuse_1gb_ms']} ms; {verify}")


if __name__ == "__main__":
    main()
