#!/usr/bin/env bash
# Runs Parley's benchmarks side by side with the Node.js Socket.IO peer and writes the table to
# bench/results/<date>.md (bench/results/<date>-quick.md with --quick) and to stdout.
#
#   bench/run.sh [--quick] [scenario...]      scenarios: idle fanout fanout10k rooms dm (default: all)
#
# Each scenario gets a fresh server process per side. Servers run on CPU $BENCH_SERVER_CPU (1),
# the generator on CPU $BENCH_GENERATOR_CPU (0): same treatment for both servers, and the
# generator never competes with the server it measures. See bench/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
JAR="$BENCH/target/parley-bench.jar"
ALL_SCENARIOS=(idle fanout fanout10k rooms dm)
SERVER_CPU=${BENCH_SERVER_CPU:-1}
GENERATOR_CPU=${BENCH_GENERATOR_CPU:-0}
PARLEY_JAVA_OPTS=${PARLEY_JAVA_OPTS:--Xmx2g}
GENERATOR_JAVA_OPTS=${GENERATOR_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseParallelGC}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

QUICK=""
SCENARIOS=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK="--quick" ;;
    -h|--help) usage; exit 0 ;;
    idle|fanout|fanout10k|rooms|dm) SCENARIOS+=("$arg") ;;
    durable|history|reconnect) echo "scenario $arg needs the chat server: not yet" >&2 ;;
    *) echo "unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if [ ${#SCENARIOS[@]} -eq 0 ]; then
  SCENARIOS=("${ALL_SCENARIOS[@]}")
fi

for tool in java mvn node npm taskset; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on PATH" >&2; exit 1; }
done

DAY=$(date +%F)
REPORT="$BENCH/results/$DAY${QUICK:+-quick}.md"
WORK="$BENCH/results/$(date +%F-%H%M%S).tmp"
mkdir -p "$WORK"

SERVER_PID=""
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
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building the bench module" >&2
(cd "$ROOT" && mvn -q -Dmaven.test.skip=true -pl bench -am package)
echo "== installing the Node.js peer (npm ci)" >&2
(cd "$BENCH/peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

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

# start_server parley|peer PORT LOG: starts the server pinned to SERVER_CPU; sets SERVER_PID.
start_server() {
  local side=$1 port=$2 log=$3
  if [ "$side" = parley ]; then
    # shellcheck disable=SC2086
    taskset -c "$SERVER_CPU" java $PARLEY_JAVA_OPTS -cp "$JAR" dev.parley.bench.ParleyBenchServer "$port" >"$log" 2>&1 &
  else
    taskset -c "$SERVER_CPU" node --expose-gc "$BENCH/peer/server.js" "$port" >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  if ! wait_listening "$port" "$SERVER_PID"; then
    echo "the $side server did not start; its log:" >&2
    cat "$log" >&2
    return 1
  fi
}

stop_server() {
  cleanup
  SERVER_PID=""
}

START=$(date +%s)
for scenario in "${SCENARIOS[@]}"; do
  for side in parley peer; do
    port=$(free_port)
    echo "== $scenario against $side (port $port)" >&2
    if ! start_server "$side" "$port" "$WORK/$scenario-$side.server.log"; then
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
  echo "Parley JVM: \`$PARLEY_JAVA_OPTS\`; peer: \`node --expose-gc\`."
  echo
  echo "Ratio is Parley's advantage: above 1× Parley is better (more throughput, less memory, lower latency)."
  echo
  java -cp "$JAR" dev.parley.bench.ReportTable "$WORK" "${SCENARIOS[@]}"
} >"$REPORT"

cat "$REPORT"
echo >&2
echo "written to ${REPORT#"$ROOT"/}; raw results and logs in ${WORK#"$ROOT"/}" >&2
