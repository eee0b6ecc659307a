#!/usr/bin/env bash
# Runs Parley's benchmarks side by side with the Node.js Socket.IO peer and writes the table to
# bench/results/<date>.md (bench/results/<date>-quick.md with --quick) and to stdout.
#
#   bench/run.sh [--quick] [scenario...]
#       scenarios: idle fanout fanout10k rooms dm durable durable-pg history reconnect cluster
#       (default: all)
#
# Each scenario gets a fresh server process per side: ParleyBenchServer or the chat server
# (server/target/parley.jar) for Parley, bench/peer/server.js for the peer; the chat scenarios get
# a fresh SQLite data folder or PostgreSQL database ($BENCH_PG, dropped after); cluster runs two
# nodes per side on a Redis of its own (or $BENCH_REDIS_URL), and one Parley node alone. Servers
# run on CPU $BENCH_SERVER_CPU (1), the generator on CPU $BENCH_GENERATOR_CPU (0): same treatment
# for both servers, and the generator never competes with the server it measures. See
# bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
JAR="$BENCH/target/parley-bench.jar"
ALL_SCENARIOS=(idle fanout fanout10k rooms dm durable durable-pg history reconnect cluster)
PARLEY_JAR="$ROOT/server/target/parley.jar"
# PostgreSQL for durable-pg and history: a database per scenario and side is created and dropped.
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
# Redis for cluster: the nodes of each side meet there. By default a redis-server of the side's own
# on a free port, so that the measurement shares Redis with nothing else. BENCH_REDIS_URL=
# redis://127.0.0.1:6379 uses that Redis instead (Parley's channels start with the name its fresh
# database gives the cluster; the peer's adapter keeps to channels under a prefix of this run's own).
REDIS_URL=""
SERVER_CPU=${BENCH_SERVER_CPU:-1}
GENERATOR_CPU=${BENCH_GENERATOR_CPU:-0}
PARLEY_JAVA_OPTS=${PARLEY_JAVA_OPTS:--Xmx2g}
GENERATOR_JAVA_OPTS=${GENERATOR_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}
# Extra Maven options for the build (-o, say, on a machine without the network).
# shellcheck disable=SC2206
MVN_OPTS=(${BENCH_MVN_OPTS:-})

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

QUICK=""
SCENARIOS=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK="--quick" ;;
    -h|--help) usage; exit 0 ;;
    idle|fanout|fanout10k|rooms|dm|durable|durable-pg|history|reconnect|cluster) SCENARIOS+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if [ ${#SCENARIOS[@]} -eq 0 ]; then
  SCENARIOS=("${ALL_SCENARIOS[@]}")
fi

# chat: the scenario runs against the chat server (the /chat namespace); pg: it needs PostgreSQL.
is_chat() { case "$1" in durable|durable-pg|history|reconnect|cluster) return 0 ;; *) return 1 ;; esac; }
uses_pg() { case "$1" in durable-pg|history|cluster) return 0 ;; *) return 1 ;; esac; }
# The sides a scenario has: the durable peer would need SQLite, which Node.js 20 does not have;
# cluster measures one Parley node alone too (parley-1node), to read the two nodes' figure against.
sides_of() {
  case "$1" in
    durable) echo parley ;;
    cluster) echo parley-1node parley peer ;;
    *) echo parley peer ;;
  esac
}
# How many server processes a side runs.
nodes_of() { if [ "$1" = cluster ] && [ "$2" != parley-1node ]; then echo 2; else echo 1; fi; }

NEED_CHAT=""
NEED_PG=""
NEED_REDIS=""
for scenario in "${SCENARIOS[@]}"; do
  if is_chat "$scenario"; then NEED_CHAT=yes; fi
  if uses_pg "$scenario"; then NEED_PG=yes; fi
  if [ "$scenario" = cluster ]; then NEED_REDIS=yes; fi
done

TOOLS=(java mvn node npm taskset)
if [ -n "$NEED_PG" ]; then TOOLS+=(psql createdb dropdb); fi
if [ -n "$NEED_REDIS" ]; then TOOLS+=(redis-cli); fi
if [ -n "$NEED_REDIS" ] && [ -z "${BENCH_REDIS_URL:-}" ]; then TOOLS+=(redis-server); fi
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on PATH" >&2; exit 1; }
done
if [ -n "$NEED_PG" ] && ! psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
  echo "PostgreSQL does not answer at $PG_USER@$PG_HOST:$PG_PORT (set BENCH_PG_HOST, BENCH_PG_PORT, BENCH_PG_USER)" >&2
  exit 1
fi
if [ -n "$NEED_REDIS" ] && [ -n "${BENCH_REDIS_URL:-}" ] \
    && [ "$(redis-cli -u "$BENCH_REDIS_URL" ping 2>/dev/null)" != PONG ]; then
  echo "Redis does not answer at BENCH_REDIS_URL=$BENCH_REDIS_URL" >&2
  exit 1
fi
# The history room's size: a million messages, a tenth of it for --quick.
HISTORY_ROWS=${BENCH_HISTORY_ROWS:-$([ -n "$QUICK" ] && echo 100000 || echo 1000000)}
# Rate limits of the chat server out of the way: the benchmarks send far above a person's pace.
NO_LIMITS=(--rate-messages 1000000 --rate-message-burst 1000000 --rate-requests 1000000 --rate-connections 1000000)

DAY=$(date +%F)
RUN_ID="$(date +%Y%m%d%H%M%S)-$$"
REPORT="$BENCH/results/$DAY${QUICK:+-quick}.md"
WORK="$BENCH/results/$(date +%F-%H%M%S).tmp"
mkdir -p "$WORK"

# The server processes of the scenario and side running now (two nodes for cluster).
SERVER_PIDS=()
DATABASE=""
DATA_DIR=""
# The side's own redis-server, if one runs.
REDIS_PID=""
REDIS_VERSION=""
# Stops every server process: SIGTERM to all, up to 10 s for them to finish, then SIGKILL.
stop_pids() {
  local pid i alive
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for i in $(seq 1 100); do
    alive=""
    for pid in "${SERVER_PIDS[@]}"; do
      if kill -0 "$pid" 2>/dev/null; then alive=yes; fi
    done
    [ -n "$alive" ] || break
    sleep 0.1
  done
  for pid in "${SERVER_PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}
cleanup() {
  if [ ${#SERVER_PIDS[@]} -gt 0 ]; then
    stop_pids
  fi
  if [ -n "$REDIS_PID" ]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
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
  (cd "$ROOT" && mvn -q "${MVN_OPTS[@]}" -Dmaven.test.skip=true -DskipTests -pl server,bench -am package) >&2
else
  echo "== building the bench module" >&2
  (cd "$ROOT" && mvn -q "${MVN_OPTS[@]}" -Dmaven.test.skip=true -DskipTests -pl bench -am package) >&2
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

# start_redis SIDE LOG: sets REDIS_URL to BENCH_REDIS_URL, or to a redis-server of the side's own
# started on a free port (REDIS_PID), without persistence, as the machine's own is run.
start_redis() {
  local side=$1 log=$2 port
  if [ -n "${BENCH_REDIS_URL:-}" ]; then
    REDIS_URL=$BENCH_REDIS_URL
  else
    port=$(free_port)
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$WORK" >"$log" 2>&1 &
    REDIS_PID=$!
    if ! wait_listening "$port" "$REDIS_PID"; then
      echo "redis-server did not start; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    REDIS_URL="redis://127.0.0.1:$port"
  fi
  REDIS_VERSION=$(redis-cli -u "$REDIS_URL" info server 2>/dev/null | tr -d '\r' | sed -n 's/^redis_version://p')
}

# start_node SCENARIO SIDE NODE LOG URL: starts one server process pinned to SERVER_CPU on a free
# port; NODE is its node id in a cluster (0: no cluster). Adds its pid to SERVER_PIDS and its port
# to PORTS, once it listens.
start_node() {
  local scenario=$1 side=$2 node=$3 log=$4 url=$5 port
  port=$(free_port)
  if ! is_chat "$scenario"; then
    if [ "$side" = parley ]; then
      # shellcheck disable=SC2086
      taskset -c "$SERVER_CPU" java $PARLEY_JAVA_OPTS -cp "$JAR" dev.parley.bench.ParleyBenchServer "$port" >"$log" 2>&1 &
    else
      taskset -c "$SERVER_CPU" node --expose-gc "$BENCH/peer/server.js" "$port" >"$log" 2>&1 &
    fi
  elif [ "$side" != peer ]; then
    local cluster=()
    if [ "$node" -gt 0 ]; then cluster=(--redis "$REDIS_URL" --node-id "$node"); fi
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" java $PARLEY_JAVA_OPTS -jar "$PARLEY_JAR" --host 127.0.0.1 --port "$port" \
      --data-dir "$DATA_DIR" ${url:+--db "$url"} "${cluster[@]}" --log-level WARN "${NO_LIMITS[@]}" >"$log" 2>&1 &
  else
    local cluster=()
    # The adapter's channels under a prefix of this run's own: nothing else on the Redis hears them.
    if [ "$node" -gt 0 ]; then cluster=(--redis "$REDIS_URL" --redis-key "parley-bench-$RUN_ID"); fi
    taskset -c "$SERVER_CPU" node "$BENCH/peer/server.js" "$port" --chat ${url:+--db "$url"} "${cluster[@]}" \
      >"$log" 2>&1 &
  fi
  local pid=$!
  SERVER_PIDS+=("$pid")
  if ! wait_listening "$port" "$pid"; then
    echo "the $side server did not start; its log:" >&2
    cat "$log" >&2
    return 1
  fi
  PORTS+=("$port")
}

# start_server SCENARIO SIDE: starts the side's server (the nodes of a cluster one after the other,
# so that only one of them creates the schema), with a fresh data folder or database for the chat
# scenarios; sets SERVER_PIDS, PORTS and LOGS (and DATA_DIR, DATABASE).
start_server() {
  local scenario=$1 side=$2 url="" nodes node
  nodes=$(nodes_of "$scenario" "$side")
  PORTS=()
  LOGS=()
  if uses_pg "$scenario"; then
    DATABASE="parley_bench_$(date +%Y%m%d%H%M%S)_$$_${scenario//-/_}_${side//-/_}"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$DATABASE"
    url="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DATABASE"
  fi
  if is_chat "$scenario" && [ "$side" != peer ]; then
    # One folder for every node: they sign tokens with the same key, as a cluster must.
    DATA_DIR="$WORK/$scenario-$side.data"
    mkdir -p "$DATA_DIR"
  fi
  if [ "$nodes" -gt 1 ]; then
    start_redis "$side" "$WORK/$scenario-$side.redis.log" || return 1
  fi
  if [ "$nodes" -eq 1 ]; then
    LOGS=("$WORK/$scenario-$side.server.log")
    start_node "$scenario" "$side" 0 "${LOGS[0]}" "$url" || return 1
  else
    for node in $(seq 1 "$nodes"); do
      LOGS+=("$WORK/$scenario-$side.node$node.log")
      start_node "$scenario" "$side" "$node" "${LOGS[$((node - 1))]}" "$url" || return 1
    done
  fi
  if [ "$scenario" = history ]; then
    local t0=$SECONDS
    psql -q -v rows="$HISTORY_ROWS" -f "$BENCH/seed/history-$side.sql" "$url" >>"${LOGS[0]}" 2>&1 \
      || { echo "seeding the history room failed; see ${LOGS[0]}" >&2; return 1; }
    echo "   seeded $HISTORY_ROWS messages in $(( SECONDS - t0 )) s" >&2
  fi
}

stop_server() {
  cleanup
}

START=$(date +%s)
for scenario in "${SCENARIOS[@]}"; do
  for side in $(sides_of "$scenario"); do
    started=$SECONDS
    echo "== $scenario against $side" >&2
    if ! start_server "$scenario" "$side"; then
      stop_server
      continue
    fi
    echo "   port${PORTS[1]:+s} $(IFS=,; echo "${PORTS[*]}")" >&2
    # shellcheck disable=SC2086
    if ! taskset -c "$GENERATOR_CPU" java $GENERATOR_JAVA_OPTS -cp "$JAR" dev.parley.bench.LoadGenerator \
        --scenario "$scenario" --server "$side" --port "$(IFS=,; echo "${PORTS[*]}")" \
        --server-pid "$(IFS=,; echo "${SERVER_PIDS[*]}")" $QUICK \
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
  if [ -n "$NEED_REDIS" ]; then
    echo "Cluster: two nodes per side, both pinned to CPU $SERVER_CPU, on one fresh PostgreSQL database and Redis" \
      "$REDIS_VERSION (${BENCH_REDIS_URL:-a redis-server per side}; not pinned, its CPU not counted);" \
      "Parley's node ids 1 and 2, the peer with @socket.io/redis-adapter" \
      "$(node -p "require('$BENCH/peer/node_modules/@socket.io/redis-adapter/package.json').version" 2>/dev/null)" \
      "on \`redis\` $(node -p "require('$BENCH/peer/node_modules/redis/package.json').version" 2>/dev/null);" \
      "and one Parley node alone (parley-1node) under the same load."
  fi
  echo
  echo "Ratio is Parley's advantage: above 1× Parley is better (more throughput, less memory, lower latency)."
  echo
  java -cp "$JAR" dev.parley.bench.ReportTable "$WORK" "${SCENARIOS[@]}"
} >"$REPORT"

cat "$REPORT"
echo >&2
echo "written to ${REPORT#"$ROOT"/}; raw results and logs in ${WORK#"$ROOT"/}" >&2
