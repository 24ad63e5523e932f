#!/usr/bin/env bash
# Mail ingestion throughput: messages per second through POST /api/v1/mail/inbound, on SQLite
# and PostgreSQL, with a release build of `vakt serve` on this machine.
#
#   bench/mail-ingest.sh [MESSAGES] [CONCURRENCY]          (defaults: 3000 and 8)
#   BACKENDS=postgres bench/mail-ingest.sh                 (only one backend)
#   VAKT_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres (the default)
#
# Each backend gets a fresh database; the server runs with its default settings (job workers
# on, no mail transport). The driver (bench/mail_ingest.py, standard library only) sends a mix
# of new tickets, follow-ups threaded by In-Reply-To, HTML mail and mail with a PDF attachment.
# Measured on the 2-core machine (driver on the same cores), 3000 messages, concurrency 8:
#   SQLite 500 messages/s (p50 5 ms), PostgreSQL 379 messages/s (p50 20 ms); see
#   docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MESSAGES="${1:-3000}"
CONCURRENCY="${2:-8}"
BACKENDS="${BACKENDS:-sqlite postgres}"
PG_URL="${VAKT_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"

cargo build -q --release -p vakt-server
BIN="$CARGO_TARGET_DIR/release/vakt"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_backend() {
    local backend="$1" url port db
    port="$(free_port)"
    case "$backend" in
        sqlite) url="sqlite://$WORK/bench.db" ;;
        postgres)
            db="vakt_mail_bench_$$"
            psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null
            psql "$PG_URL" -qc "CREATE DATABASE $db" >/dev/null
            url="${PG_URL%/*}/$db" ;;
        *) echo "unknown backend $backend" >&2; return 1 ;;
    esac
    DATABASE_URL="$url" VAKT_BIND="127.0.0.1:$port" VAKT_ADMIN_EMAIL=admin@example.com \
        VAKT_ADMIN_PASSWORD=bench-password-1 VAKT_LOG=warn VAKT_DB_POOL_SIZE=16 \
        "$BIN" serve >"$WORK/$backend.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local access token
    access="$(curl -fsS -H 'Content-Type: application/json' \
        -d '{"email":"admin@example.com","password":"bench-password-1"}' \
        "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
    token="$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $access" \
        -d '{"name":"bench","scope":"mail_gateway"}' \
        "http://127.0.0.1:$port/api/v1/me/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
    printf '%-9s ' "$backend:"
    python3 bench/mail_ingest.py "http://127.0.0.1:$port" "$token" "$MESSAGES" "$CONCURRENCY"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    if [ "$backend" = postgres ]; then psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null; fi
}

for backend in $BACKENDS; do
    run_backend "$backend"
done
