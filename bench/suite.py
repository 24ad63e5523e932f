#!/usr/bin/env python3
"""Vakt's benchmark suite: a release `vakt serve` on a seeded database, driven over HTTP by wrk.

Run it with bench/run.sh (see docs/performance.md). It seeds (or reuses) the database, starts the
server, prepares tokens and a ticket with 50 articles, runs every scenario with wrk at the given
concurrency, samples the server's memory, and prints one table and writes JSON and Markdown next
to each other in bench/results/.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORT_LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.2f %.3f %.3f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
"""

# name -> (metric, comparison, target); metric is "p95_ms" (lower is better) or "rps" (higher).
TARGETS = {
    "queue view (first page, sorted)": ("p95_ms", 20),
    "queue view with unread column": ("p95_ms", 20),
    "custom field filter (cf.product, queue view)": ("p95_ms", 50),
    "custom field filter, rare value (cf.product, queue view)": ("p95_ms", 50),
    "ticket with 50 articles": ("p95_ms", 15),
    "full-text search, rare term": ("p95_ms", 100),
    "full-text search, common term": ("p95_ms", 100),
    "full-text search, phrase": ("p95_ms", 100),
    "create ticket": ("rps", 500),
    "mail ingestion": ("rps", 500),
    "report: 12-month volume by queue": ("p95_ms", 500),
    "report: 90-day response times": ("p95_ms", 500),
}
IDLE_RSS_TARGET_MB = 100
# The seeder's dropdown `product` (bench: 25 % printer, 0.1 % scanner; crates/server/src/seed/fields.rs).
CUSTOM_FIELD_SCENARIOS = (
    "custom field filter (cf.product, queue view)",
    "custom field filter, rare value (cf.product, queue view)",
    "custom field sort (sort=cf.product, queue view)",
)


def days_ago(days):
    """The date `days` before today (UTC), as a report's `from`/`to` wants it."""
    return (datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(days=days)).isoformat()


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None, content_type="application/json", raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text.startswith(("{", "[")) else text)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def prepare_database(args, binary):
    """Returns (database URL, seconds spent seeding or None when reused, reindex seconds)."""
    seed_args = ["--tickets", str(args.tickets), "--articles-per-ticket", str(args.articles_per_ticket)]
    if args.backend == "postgres":
        admin = args.postgres_url
        name = f"vakt_bench_{args.tickets}"
        url = admin.rsplit("/", 1)[0] + "/" + name
        exists = psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
        count = psql(url, "SELECT count(*) FROM tickets") if exists else "0"
        if exists and int(count or 0) >= args.tickets and not args.fresh:
            log(f"reusing {name} ({count} tickets)")
            return url, None
        psql(admin, f"DROP DATABASE IF EXISTS {name}")
        psql(admin, f"CREATE DATABASE {name}")
    else:
        path = os.path.join(ROOT, "bench", "data", f"bench-{args.tickets}.db")
        url = "sqlite://" + path
        if os.path.exists(path) and not args.fresh:
            log(f"reusing {path}")
            return url, None
        os.makedirs(os.path.dirname(path), exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    log(f"seeding {args.tickets} tickets x {args.articles_per_ticket} articles on {args.backend} …")
    started = time.time()
    subprocess.run([binary, "seed", *seed_args, "--database-url", url], check=True)
    return url, time.time() - started


def sql_exec(args, url, sql):
    """Runs one statement on the benchmark database (either backend)."""
    if args.backend == "postgres":
        return psql(url, sql)
    with sqlite3.connect(url.removeprefix("sqlite://")) as db:
        rows = db.execute(sql).fetchall()
    return "\n".join("|".join(str(v) for v in row) for row in rows)


def mark_half_read(args, url, user_id, queue_id):
    """Marks every other ticket of the queue read for the user, so that the queue view with the
    unread column shows both kinds of rows (a fresh benchmark user has read nothing)."""
    now = "now()" if args.backend == "postgres" else "CURRENT_TIMESTAMP"
    sql_exec(args, url, "INSERT INTO ticket_reads (user_id, ticket_id, read_count, read_at) "
                        f"SELECT {user_id}, id, article_count, {now} FROM tickets "
                        f"WHERE queue_id = {queue_id} AND id % 2 = 0 ON CONFLICT DO NOTHING")


def wrk(args, url, script, token):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + REPORT_LUA)
        path = f.name
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s",
               "-s", path, "-H", f"Authorization: Bearer {token}", url]
    output = subprocess.run(command, capture_output=True, text=True).stdout
    os.unlink(path)
    match = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+) (\d+)", output)
    if not match:
        raise RuntimeError("wrk printed no result:\n" + output)
    rps, p50, p95, p99, errors, non2xx, total = match.groups()
    failed = int(errors) + int(non2xx)
    # Throughput counts successful responses only.
    ok_share = (int(total) - failed) / int(total) if int(total) else 0.0
    return {"rps": float(rps) * ok_share, "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
            "errors": int(errors), "non2xx": int(non2xx), "requests": int(total)}


def lua_get(path):
    return f'wrk.method = "GET"\nwrk.path = "{path}"\n'


def lua_post(path, body, content_type="application/json"):
    return (f'wrk.method = "POST"\nwrk.path = "{path}"\nwrk.headers["Content-Type"] = "{content_type}"\n'
            f'wrk.body = {json.dumps(body)}\n')


def seeded_texts(args, url, count=200):
    """Titles and first-article bodies of `count` seeded tickets, spread over the whole range."""
    step = max(args.tickets // count, 1)
    sql = ("SELECT t.title, b.body_text FROM tickets t JOIN articles a ON a.ticket_id = t.id "
           "JOIN article_bodies b ON b.article_id = a.id "
           f"WHERE t.id % {step} = 1 AND t.id <= {args.tickets} "
           "AND a.id = (SELECT min(id) FROM articles WHERE ticket_id = t.id) "
           f"ORDER BY t.id LIMIT {count}")
    if args.backend == "postgres":
        out = subprocess.run(["psql", url, "-At", "-c", f"SELECT json_agg(json_build_array(title, body_text)) FROM ({sql}) s"],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)
    with sqlite3.connect(url.removeprefix("sqlite://")) as db:
        return db.execute(sql).fetchall()


def lua_create(queue_id, texts):
    """New tickets with the titles and bodies of seeded ones, in turn: what the benchmark adds
    looks like what is there, so the searches measured after it still meet seeded data, not
    twenty thousand copies of one text."""
    bodies = [json.dumps({"title": title[:200], "queue_id": queue_id, "customer_email": "bench@bench.example",
                          "article": {"body": body, "channel": "api"}}) for title, body in texts]
    table = ",\n".join(f"[==[{b}]==]" for b in bodies)
    return f"""
local bodies = {{
{table}
}}
local counter = 0
request = function()
  counter = counter + 1
  local headers = {{}}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/tickets", headers, bodies[(counter % #bodies) + 1])
end
"""


def lua_reply(max_id):
    body = json.dumps({"kind": "reply", "body": "Thanks, we restarted the service; please try again."})
    return f"""
math.randomseed(os.time())
request = function()
  local id = math.random(1, {max_id})
  local headers = {{}}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/api/v1/tickets/" .. id .. "/articles", headers, {json.dumps(body)})
end
"""


def lua_mail():
    return r"""
local counter = 0
local thread_id = 0
setup = function(thread)
  thread:set("tid", math.random(1, 1000000000))
end
init = function(args)
  thread_id = tid
end
request = function()
  counter = counter + 1
  local body = "From: Bench Sender <sender" .. (counter % 500) .. "@bench.example>\r\n" ..
    "To: support@example.com\r\n" ..
    "Subject: Printer on floor " .. counter .. " is jammed\r\n" ..
    "Message-ID: <bench-" .. thread_id .. "-" .. counter .. "@bench.example>\r\n" ..
    "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n" ..
    "Content-Type: text/plain; charset=utf-8\r\n\r\n" ..
    "Hello,\r\n\r\nthe printer shows error E42 again. Could you have a look?\r\n\r\nOla\r\n"
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "message/rfc822"
  return wrk.format("POST", "/api/v1/mail/inbound?queue=1&action=correspond", headers, body)
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--tickets", type=int)
    parser.add_argument("--articles-per-ticket", type=int, default=5)
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="seed a new database even if one exists")
    parser.add_argument("--postgres-url", default=os.environ.get("VAKT_BENCH_POSTGRES_URL",
                                                                  "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    parser.add_argument("--only", help="run only the scenarios whose names contain one of these comma-separated "
                                       "words (e.g. --only create,phrase)")
    parser.add_argument("--binary", help="benchmark this vakt binary instead of building one (e.g. an older build)")
    args = parser.parse_args()
    if args.tickets is None:
        args.tickets = 1_000_000 if args.backend == "postgres" else 100_000

    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    if args.binary:
        binary = os.path.abspath(args.binary)
    else:
        log("building the release binary …")
        subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "vakt-server", "--bin", "vakt"],
                       cwd=ROOT, check=True)
        binary = os.path.join(target_dir, "release", "vakt")
    if not shutil.which("wrk"):
        log("installing wrk …")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)

    url, seed_seconds = prepare_database(args, binary)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()] if args.only else None
    if wanted is None or any(w in name for name in CUSTOM_FIELD_SCENARIOS for w in wanted):
        # Databases seeded before the seeder set custom fields get them now (idempotent).
        log("custom field values (vakt seed --custom-fields) …")
        subprocess.run([binary, "seed", "--custom-fields", "--database-url", url], check=True,
                       stdout=subprocess.DEVNULL)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, VAKT_BIND=f"127.0.0.1:{port}", VAKT_LOG="warn",
               VAKT_JOB_WORKERS="0", VAKT_DB_POOL_SIZE="16")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    api = Api(f"http://127.0.0.1:{port}")
    try:
        for _ in range(600):
            try:
                if api.call("GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not become ready")
        reindex_seconds = None
        if args.backend == "postgres" and int(psql(url, "SELECT count(*) FROM search_tickets")) < args.tickets:
            log("building the search index (vakt reindex) …")
            started = time.time()
            subprocess.run([binary, "reindex", "--database-url", url], check=True, stdout=subprocess.DEVNULL)
            reindex_seconds = time.time() - started
        time.sleep(5)
        idle_rss = rss_mb(server.pid)

        subprocess.run([binary, "create-admin", "--email", "bench-admin@example.com", "--password", "bench-password-1",
                        "--database-url", url], check=True, stdout=subprocess.DEVNULL)
        status, session = api.call("POST", "/api/v1/auth/login",
                                   body={"email": "bench-admin@example.com", "password": "bench-password-1"})
        assert status == 200, session
        jwt = session["access_token"]
        status, token = api.call("POST", "/api/v1/me/tokens", jwt, {"name": "bench"})
        assert status == 201, token
        admin = token["secret"]
        status, gateway = api.call("POST", "/api/v1/me/tokens", jwt, {"name": "bench mail", "scope": "mail_gateway"})
        mail_token = gateway["secret"] if status == 201 else None
        status, queues = api.call("GET", "/api/v1/queues", admin)
        busiest = max(queues["items"], key=lambda q: q["counts"]["open"])
        status, long_ticket = api.call("POST", "/api/v1/tickets", admin, {
            "title": "A long conversation", "queue_id": busiest["id"], "customer_email": "long@bench.example",
            "article": {"body": "The first message of fifty."}})
        for n in range(49):
            api.call("POST", f"/api/v1/tickets/{long_ticket['id']}/articles", admin,
                     {"kind": "note" if n % 3 == 0 else "reply", "body": f"Message {n + 2} of the long conversation, "
                                                                         "with a few sentences of ordinary text."})
        status, some = api.call("GET", "/api/v1/tickets?sort=-created_at&limit=1", admin)
        max_id = some["items"][0]["id"]
        rare = f"ERR-{max_id // 2:07d}"
        status, me = api.call("GET", "/api/v1/me", admin)
        mark_half_read(args, url, me["id"], busiest["id"])
        queue_view = f"/api/v1/tickets?queue_id={busiest['id']}&state_type=open"

        base = f"http://127.0.0.1:{port}"
        scenarios = [
            ("login", lua_post("/api/v1/auth/login",
                               json.dumps({"email": "bench-admin@example.com", "password": "bench-password-1"}))),
            ("create ticket", lua_create(busiest["id"], seeded_texts(args, url))),
            ("ticket with 50 articles", lua_get(f"/api/v1/tickets/{long_ticket['id']}/articles?limit=100")),
            ("get ticket", lua_get(f"/api/v1/tickets/{long_ticket['id']}")),
            ("queue view (first page, sorted)",
             lua_get(f"/api/v1/tickets?queue_id={busiest['id']}&state_type=open&sort=-priority")),
            ("queue view with unread column", lua_get(f"{queue_view}&sort=-updated_at")),
            ("queue view, unread only", lua_get(f"{queue_view}&unread=true")),
            (CUSTOM_FIELD_SCENARIOS[0], lua_get(f"{queue_view}&cf.product=printer")),
            (CUSTOM_FIELD_SCENARIOS[1], lua_get(f"{queue_view}&cf.product=scanner")),
            (CUSTOM_FIELD_SCENARIOS[2], lua_get(f"{queue_view}&sort=cf.product")),
            ("queue counts", lua_get("/api/v1/queues")),
            ("full-text search, rare term", lua_get(f"/api/v1/tickets?q={rare}")),
            ("full-text search, common term", lua_get("/api/v1/tickets?q=error")),
            ("full-text search, phrase", lua_get("/api/v1/tickets?q=%22please%20help%22")),
            ("reply", lua_reply(max_id)),
            ("report: 12-month volume by queue",
             lua_get(f"/api/v1/reports/volume?from={days_ago(364)}&to={days_ago(0)}&granularity=month"
                     "&time_zone=Europe/Oslo&group_by=queue")),
            ("report: 90-day response times",
             lua_get(f"/api/v1/reports/response-times?from={days_ago(89)}&to={days_ago(0)}&granularity=week"
                     "&time_zone=Europe/Oslo")),
        ]
        if wanted:
            scenarios = [(n, s) for n, s in scenarios if any(w in n for w in wanted)]
        results = []
        for name, script in scenarios:
            log(f"  {name} …")
            results.append({"name": name, **wrk(args, base, script, admin), "rss_mb": round(rss_mb(server.pid), 1)})
        if mail_token and (not wanted or any(w in "mail ingestion" for w in wanted)):
            log("  mail ingestion …")
            results.append({"name": "mail ingestion", **wrk(args, base, lua_mail(), mail_token),
                            "rss_mb": round(rss_mb(server.pid), 1)})
        loaded_rss = rss_mb(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=60)

    for row in results:
        target = TARGETS.get(row["name"])
        if target:
            metric, value = target
            row["target"] = f"{metric.replace('_ms', '')} {'≤' if metric == 'p95_ms' else '≥'} {value}{' ms' if metric == 'p95_ms' else '/s'}"
            meets = row[metric] <= value if metric == "p95_ms" else row[metric] >= value
            # A scenario with failed requests proves nothing about its target.
            row["met"] = meets and row["errors"] + row["non2xx"] == 0
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "backend": args.backend,
        "tickets": args.tickets,
        "articles": args.tickets * args.articles_per_ticket,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "wrk": {"threads": args.threads, "connections": args.connections, "duration_s": args.duration},
        "seed_seconds": seed_seconds,
        "reindex_seconds": reindex_seconds,
        "rss_mb": {"idle": round(idle_rss, 1), "loaded_peak": round(loaded_rss, 1),
                   "idle_target": IDLE_RSS_TARGET_MB, "idle_met": idle_rss <= IDLE_RSS_TARGET_MB},
        "scenarios": results,
    }
    lines = [f"Vakt benchmark — {report['backend']}, {report['tickets']:,} tickets / {report['articles']:,} articles, "
             f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {report['date']}", "",
             "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | RSS after, MB | target | met |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for row in results:
        lines.append(f"| {row['name']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
                     f"{row['p99_ms']:.1f} | {row['errors'] + row['non2xx']} | {row['rss_mb']:.0f} | {row.get('target', '')} | "
                     f"{'yes' if row.get('met') else ('no' if 'met' in row else '')} |")
    lines.append(f"| server RSS idle / loaded peak | | | | | | | {idle_rss:.0f} / {loaded_rss:.0f} MB "
                 f"(idle ≤ {IDLE_RSS_TARGET_MB} MB) | {'yes' if idle_rss <= IDLE_RSS_TARGET_MB else 'no'} |")
    if seed_seconds:
        lines.append(f"\nseeded in {seed_seconds:.0f} s")
    if reindex_seconds:
        lines.append(f"search index built in {reindex_seconds:.0f} s")
    table = "\n".join(lines)
    print(table)
    os.makedirs(args.out, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for suffix, content in ((".json", json.dumps(report, indent=2)), (".md", table + "\n")):
        with open(os.path.join(args.out, f"{stamp}-{args.backend}{suffix}"), "w") as f:
            f.write(content)
    log(f"written to {args.out}/{stamp}-{args.backend}.json and .md")


if __name__ == "__main__":
    main()
