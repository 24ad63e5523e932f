#!/usr/bin/env python3
"""Knowledge-base search latency: seeds (or reuses) a database with `vakt seed --kb-articles`,
starts `vakt serve`, and times `GET /api/v1/kb/articles?q=…` one request after another for an
administrator, a customer and an anonymous reader. Prints p50/p95/p99 per query and audience.

    bench/kb_search.py --binary target/release/vakt --backend sqlite --articles 10000
    bench/kb_search.py --backend postgres --postgres-url postgres://postgres@127.0.0.1:5432/postgres
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

QUERIES = ["printer", "error", "print*", '"please help"', "network -printer", "subject:printer"]


def call(base, method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "vakt"))
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200, help="per query and audience")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="vakt-kb-bench-")
    if args.backend == "sqlite":
        url = f"sqlite://{folder}/kb.db"
    else:
        name = f"vakt_kb_bench_{int(time.time())}"
        subprocess.run(["psql", args.postgres_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = args.postgres_url.rsplit("/", 1)[0] + "/" + name
    started = time.time()
    subprocess.run([args.binary, "seed", "--tickets", "0", "--kb-articles", str(args.articles), "--queues", "1",
                    "--agents", "2", "--customers", "100", "--database-url", url], check=True, stdout=subprocess.DEVNULL)
    print(f"seeded {args.articles} KB articles on {args.backend} in {time.time() - started:.1f}s")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, VAKT_BIND=f"127.0.0.1:{port}", VAKT_LOG="warn", VAKT_JOB_WORKERS="0")
    subprocess.run([args.binary, "create-admin", "--email", "kb-admin@example.com", "--password", "kb-bench-password",
                    "--database-url", url], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if call(base, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        status, session = call(base, "POST", "/api/v1/auth/login",
                               body={"email": "kb-admin@example.com", "password": "kb-bench-password"})
        assert status == 200, session
        admin = session["access_token"]
        status, customer = call(base, "POST", "/api/v1/customers", admin,
                                {"name": "Bench Customer", "email": "kb-customer@example.com", "password": "kb-bench-password"})
        assert status == 201, customer
        status, session = call(base, "POST", "/api/v1/auth/login",
                               body={"email": "kb-customer@example.com", "password": "kb-bench-password"})
        customer = session["access_token"]
        print(f"| query | audience | hits | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|---|")
        worst = 0.0
        for query in QUERIES:
            for audience, token in [("agent (admin)", admin), ("customer", customer), ("anonymous", None)]:
                path = "/api/v1/kb/articles?" + urllib.parse.urlencode({"q": query, "limit": 25})
                status, page = call(base, "GET", path, token)
                assert status == 200, page
                times = []
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    call(base, "GET", path, token)
                    times.append((time.perf_counter() - t0) * 1000)
                p95 = percentile(times, 95)
                worst = max(worst, p95)
                print(f"| `{query}` | {audience} | {len(page['items'])} | {statistics.median(times):.1f} | {p95:.1f} | "
                      f"{percentile(times, 99):.1f} |")
        print(f"worst p95: {worst:.1f} ms (target 50 ms): {'met' if worst <= 50 else 'NOT met'}")
    finally:
        server.terminate()
        server.wait()
        if args.backend == "postgres":
            subprocess.run(["psql", args.postgres_url, "-qc", f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}"])


if __name__ == "__main__":
    sys.exit(main())
