#!/usr/bin/env bash
# The benchmark suite in one command (docs/performance.md):
#   bench/run.sh                          PostgreSQL, 1,000,000 tickets / 5,000,000 articles
#   bench/run.sh --backend sqlite         SQLite, 100,000 tickets / 500,000 articles
#   bench/run.sh --tickets 200000 --duration 10 --fresh
#   bench/run.sh kb --backend postgres    knowledge-base search over 10,000 articles (kb_search.py)
# The database is seeded once by `vakt seed` and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "kb" ]; then
  shift
  exec python3 bench/kb_search.py "$@"
fi
exec python3 bench/suite.py "$@"
