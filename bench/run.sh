#!/usr/bin/env bash
# Runs Parley's benchmarks side by side with the Node.js Socket.IO peer and writes the table to
# bench/results/<date>.md (bench/results/<date>-quick.md with --quick) and to stdout.
#
#   bench/run.sh [--quick] [scenario...]
#       scenarios: idle fanout fanout10k rooms dm durable durable-pg history reconnect (default: all)
#
# Each scenario gets a fresh server process per side: ParleyBenchServer or the chat server
# (server/target/parley.jar) for Parley, bench/peer/server.js for the peer; the chat scenarios get
# a fresh SQLite data folder or PostgreSQL database ($BENCH_PG, dropped after). Servers run on CPU
# $BENCH_SERVER_CPU (1), the generator on CPU $BENCH_GENERATOR_CPU (0): same treatment for both
# servers, and the generator never competes with the server it measures. See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
JAR="$BENCH/target/parley-bench.jar"
ALL_SCENARIOS=(idle fanout fanout10k rooms dm durable durable-pg history reconnect)
PARLEY_JAR="$ROOT/server/target/parley.jar"
# PostgreSQL for durable-pg and history: a database per scenario and side is created and dropped.
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
GENERATOR_CPU=${BENCH_GENERATOR_CPU:-0}
PARLEY_JAVA_OPTS=${PARLEY_JAVA_OPTS:--Xmx2g}
GENERATOR_JAVA_OPTS=${GENERATOR_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

QUICK=""
SCENARIOS=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK="--quick" ;;
    -h|--help) usage; exit 0 ;;
    idle|fanout|fanout10k|rooms|dm|durable|durable-pg|history|reconnect) SCENARIOS+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if [ ${#SCENARIOS[@]} -eq 0 ]; then
  SCENARIOS=("${ALL_SCENARIOS[@]}")
fi

# chat: the scenario runs against the chat server (the /chat namespace); pg: it needs PostgreSQL.
is_chat() { case "$1" in durable|durable-pg|history|reconnect) return 0 ;; *) return 1 ;; esac; }
uses_pg() { case "$1" in durable-pg|history) return 0 ;; *) return 1 ;; esac; }
# The sides a scenario has: the durable peer would need SQLite, which Node.js 20 does not have.
sides_of() { if [ "$1" = durable ]; then echo parley; else echo parley peer; fi; }

NEED_CHAT=""
NEED_PG=""
for scenario in "${SCENARIOS[@]}"; do
  if is_chat "$scenario"; then NEED_CHAT=yes; fi
  if uses_pg "$scenario"; then NEED_PG=yes; fi
done

TOOLS=(java mvn node npm taskset)
if [ -n "$NEED_PG" ]; then TOOLS+=(psql createdb dropdb); fi
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on PATH" >&2; exit 1; }
done
if [ -n "$NEED_PG" ] && ! psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL does not answer at $PG_USER@$PG_HOST:$PG_PORT (set BENCH_PG_HOST, BENCH_PG_PORT, BENCH_PG_USER)" >&2
  exit 1
fi
# The history room's size: a million messages, a tenth of it for --quick.
HISTORY_ROWS=${BENCH_HISTORY_ROWS:-$([ -n "$QUICK" ] && echo 100000 || echo 1000000)}
# Rate limits of the chat server out of the way: the benchmarks send far above a person's pace.
NO_LIMITS=(--rate-messages 1000000 --rate-message-burst 1000000 --rate-requests 1000000 --rate-connections 1000000)

DAY=$(date +%F)
REPORT="$BENCH/results/$DAY${QUICK:+-quick}.md"
WORK="$BENCH/results/$(date +%F-%H%M%S).tmp"
mkdir -p "$WORK"

SERVER_PID=""
DATABASE=""
DATA_DIR=""
cleanup() {
  local i
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for i in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$DATABASE" ]; then
    dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$DATABASE" 2>/dev/null \
      || echo "could not drop the database $DATABASE" >&2
    DATABASE=""
  fi
  if [ -n "$DATA_DIR" ]; then
    rm -rf "$DATA_DIR"
    DATA_DIR=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$NEED_CHAT" ]; then
  echo "== building the chat server and the bench module" >&2
  # The web app's build (npm, Vite) prints even with -q: keep stdout for the table.
  (cd "$ROOT" && mvn -q -Dmaven.test.skip=true -DskipTests -pl server,bench -am package) >&2
else
  echo "== building the bench module" >&2
  (cd "$ROOT" && mvn -q -Dmaven.test.skip=true -DskipTests -pl bench -am package) >&2
fi
echo "== installing the Node.js peer (npm ci)" >&2
(cd "$BENCH/peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) \
  || { echo "npm ci failed in bench/peer" >&2; exit 1; }

# A port nobody listens on, from 3300 up.
free_port() {
  local port
  for port in $(seq 3300 3399); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port in 3300-3399" >&2
  exit 1
}

# Waits until $1 accepts connections, while process $2 lives.
wait_listening() {
  local port=$1 pid=$2 i
  for i in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server SCENARIO parley|peer PORT LOG: starts the server pinned to SERVER_CPU, with a fresh
# data folder or database for the chat scenarios; sets SERVER_PID (and DATA_DIR, DATABASE).
start_server() {
  local scenario=$1 side=$2 port=$3 log=$4 url=""
  if uses_pg "$scenario"; then
    DATABASE="parley_bench_$(date +%Y%m%d%H%M%S)_$$_${scenario//-/_}_$side"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DATABASE"
    url="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DATABASE"
  fi
  if ! is_chat "$scenario"; then
    if [ "$side" = parley ]; then
      # shellcheck disable=SC2086
      taskset -c "$SERVER_CPU" java $PARLEY_JAVA_OPTS -cp "$JAR" dev.parley.bench.ParleyBenchServer "$port" >"$log" 2>&1 &
    else
      taskset -c "$SERVER_CPU" node --expose-gc "$BENCH/peer/server.js" "$port" >"$log" 2>&1 &
    fi
  elif [ "$side" = parley ]; then
    DATA_DIR="$WORK/$scenario-parley.data"
    mkdir -p "$DATA_DIR"
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" java $PARLEY_JAVA_OPTS -jar "$PARLEY_JAR" --host 127.0.0.1 --port "$port" \
      --data-dir "$DATA_DIR" ${url:+--db "$url"} --log-level WARN "${NO_LIMITS[@]}" >"$log" 2>&1 &
  else
    taskset -c "$SERVER_CPU" node "$BENCH/peer/server.js" "$port" --chat ${url:+--db "$url"} >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  if ! wait_listening "$port" "$SERVER_PID"; then
    echo "the $side server did not start; its log:" >&2
    cat "$log" >&2
    return 1
  fi
  if [ "$scenario" = history ]; then
    local t0=$SECONDS
    psql -q -v rows="$HISTORY_ROWS" -f "$BENCH/seed/history-$side.sql" "$url" >>"$log" 2>&1 \
      || { echo "seeding the history room failed; see $log" >&2; return 1; }
    echo "   seeded $HISTORY_ROWS messages in $(( SECONDS - t0 )) s" >&2
  fi
}

stop_server() {
  cleanup
  SERVER_PID=""
}

START=$(date +%s)
for scenario in "${SCENARIOS[@]}"; do
  for side in $(sides_of "$scenario"); do
    port=$(free_port)
    started=$SECONDS
    echo "== $scenario against $side (port $port)" >&2
    if ! start_server "$scenario" "$side" "$port" "$WORK/$scenario-$side.server.log"; then
      stop_server
      continue
    fi
    # shellcheck disable=SC2086
    if ! taskset -c "$GENERATOR_CPU" java $GENERATOR_JAVA_OPTS -cp "$JAR" dev.parley.bench.LoadGenerator \
        --scenario "$scenario" --server "$side" --port "$port" --server-pid "$SERVER_PID" $QUICK \
        --out "$WORK/$scenario-$side.json" >/dev/null 2>"$WORK/$scenario-$side.generator.log"; then
      echo "the generator failed on $scenario against $side; last lines of its log:" >&2
      tail -n 20 "$WORK/$scenario-$side.generator.log" >&2
    else
      grep -E '^\[' "$WORK/$scenario-$side.generator.log" | grep -v ' local ' >&2 || true
    fi
    stop_server
    echo "   ($(( SECONDS - started )) s)" >&2
  done
done
ELAPSED=$(( $(date +%s) - START ))

CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
  echo "# Parley benchmarks, $DAY${QUICK:+ (quick)}"
  echo
  echo "Command: \`bench/run.sh${*:+ $*}\` ($ELAPSED s)."
  echo "Machine: $(nproc) cores ($CPU_MODEL), $(free -g | awk '/^Mem:/ {print $2}') GiB, Linux $(uname -r);" \
    "$(java -version 2>&1 | head -n 1); Node.js $(node --version), socket.io 4.8.4."
  echo "Servers pinned to CPU $SERVER_CPU, the generator to CPU $GENERATOR_CPU (\`taskset\`); a fresh server per scenario."
  echo "Parley JVM: \`$PARLEY_JAVA_OPTS\`; peer: \`node --expose-gc\` (tutorial scenarios), \`node server.js --chat\` (chat scenarios)."
  if [ -n "$NEED_CHAT" ]; then
    echo "Chat scenarios: \`server/target/parley.jar\` with SQLite in a fresh folder (durable, reconnect) or a fresh" \
      "PostgreSQL $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'SHOW server_version' 2>/dev/null)" \
      "database (durable-pg, history: $HISTORY_ROWS messages), rate limits off; the peer in memory (reconnect) or on" \
      "PostgreSQL through \`pg\` (durable-pg, history)."
  fi
  echo
  echo "Ratio is Parley's advantage: above 1× Parley is better (more throughput, less memory, lower latency)."
  echo
  java -cp "$JAR" dev.parley.bench.ReportTable "$WORK" "${SCENARIOS[@]}"
} >"$REPORT"

cat "$REPORT"
echo >&2
echo "written to ${REPORT#"$ROOT"/}; raw results and logs in ${WORK#"$ROOT"/}" >&2
