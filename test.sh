#!/usr/bin/env bash
# The test command: builds everything and runs every test project against a real PostgreSQL.
# With ONEINBOX_TEST_POSTGRES set (an Npgsql connection string to a server whose user may create
# databases) it uses that server; otherwise it installs PostgreSQL when missing (as root), starts a
# throwaway cluster on a free loopback port, and removes it afterwards. The same for Redis (cluster tests run
# several server processes with the SignalR backplane), unless ONEINBOX_TEST_REDIS names one. Browser tests need Chromium,
# which it installs the same way. The Studio's Vitest suite runs too. Ends with the line
# "N passed, N failed, N skipped", .NET and Vitest tests together.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

as_root_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "missing $*: install it (or run as root so this script can)"; exit 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

free_port() {
  local port first=${1:-55432} last=${2:-55532}
  for port in $(seq "$first" "$last"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  log "no free port between $first and $last"; exit 1
}

cluster=""
redis_dir=""
cleanup() {
  if [ -n "$cluster" ] && [ -d "$cluster" ]; then
    run_pg "$(pg_bin)/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
  fi
  if [ -n "$redis_dir" ] && [ -d "$redis_dir" ]; then
    [ -f "$redis_dir/redis.pid" ] && kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true
    rm -rf "$redis_dir"
  fi
}
trap cleanup EXIT

run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "${ONEINBOX_TEST_POSTGRES:-}" ]; then
  [ -n "$(pg_bin)" ] || as_root_install postgresql
  bin=$(pg_bin)
  [ -x "$bin/initdb" ] || { log "PostgreSQL server binaries not found after install"; exit 1; }
  cluster=$(mktemp -d /tmp/oneinbox-pg.XXXXXX)
  chmod 755 "$cluster"
  [ "$(id -u)" -eq 0 ] && chown postgres "$cluster"
  port=$(free_port)
  run_pg "$bin/initdb" -D "$cluster/data" -U oneinbox --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 start \
    -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  export ONEINBOX_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=oneinbox;Database=postgres"
  log "PostgreSQL $(basename "$(dirname "$bin")") started on 127.0.0.1:$port"
fi

if [ -z "${ONEINBOX_TEST_REDIS:-}" ]; then
  command -v redis-server >/dev/null || as_root_install redis-server
  redis_dir=$(mktemp -d /tmp/oneinbox-redis.XXXXXX)
  redis_port=$(free_port 56379 56479)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$redis_dir" --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" >/dev/null
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.1; done
  export ONEINBOX_TEST_REDIS="127.0.0.1:$redis_port"
  log "Redis started on 127.0.0.1:$redis_port"
fi

if [ ! -x /usr/bin/chromium ]; then as_root_install chromium; fi

log "building"
dotnet build OneInbox.sln -c Release -nologo -v q >&2

results=$(mktemp -d)
set +e
dotnet test OneInbox.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.txt" >&2
status=${PIPESTATUS[0]}
set -e

# The Studio's unit tests (Vitest), counted into the same closing line.
log "running the Studio's unit tests"
set +e
(cd src/Studio && npm ci --no-audit --no-fund && npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json") >&2
studio_status=$?
set -e

passed=0; failed=0; skipped=0
if [ -f "$results/vitest.json" ]; then
  read -r p f s < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests)' "$results/vitest.json") || true
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1})); skipped=$((skipped + ${s:-0}))
else
  log "the Studio's unit tests reported no results"
  failed=$((failed + 1))
fi
[ "$studio_status" -eq 0 ] || status=1

for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
projects=$(find tests -name '*.csproj' | wc -l)
reports=$(find "$results" -name '*.trx' | wc -l)
if [ "$reports" -lt "$projects" ]; then
  log "only $reports of $projects test projects reported results"
  failed=$((failed + projects - reports))
fi
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
