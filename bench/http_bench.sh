#!/usr/bin/env bash
# HTTP throughput benchmark (foundation issue):
#   wrk -t2 -c64 with keep-alive, authenticated GET /api/v1/auth/me on chanrong
#   versus nginx serving a static file with the same bytes, same machine, same run.
# Targets: chanrong >= 50% of nginx requests/s, p99 < 10 ms, idle RSS < 60 MB.
#
# Env: CHANRONG_BIN (default build/chanrong beside this folder), BENCH_SECONDS (default 10),
#      BENCH_WARMUP (default 2), BENCH_OUT (optional: also write the report there),
#      NGINX_BIN (default nginx), WRK_BIN (default wrk).
# Exit status: 0 when every target is met, 1 when one is missed, 2 on a setup error.
set -euo pipefail

CHANRONG_BIN="${CHANRONG_BIN:-$(dirname "$0")/../build/chanrong}"
BENCH_SECONDS="${BENCH_SECONDS:-10}"
BENCH_WARMUP="${BENCH_WARMUP:-2}"
NGINX_BIN="${NGINX_BIN:-nginx}"
WRK_BIN="${WRK_BIN:-wrk}"
THREADS=2
CONNS=64

die() { echo "http_bench: $*" >&2; exit 2; }

for tool in "$WRK_BIN" "$NGINX_BIN" curl jq awk ss; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool (apt-get install -y wrk nginx curl jq)"
done
[[ -x "$CHANRONG_BIN" ]] || die "server binary not found or not executable: $CHANRONG_BIN"
CHANRONG_BIN="$(cd "$(dirname "$CHANRONG_BIN")" && pwd)/$(basename "$CHANRONG_BIN")"
if [[ -n "${BENCH_OUT:-}" && "$BENCH_OUT" != /* ]]; then BENCH_OUT="$PWD/$BENCH_OUT"; fi

TMP="$(mktemp -d -t chanrong-bench.XXXXXX)"
SERVER_PID=""
NGINX_PID=""
cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A TCP port nothing listens on (random start, checked against ss).
used_ports=""
free_port() {
    local p listening
    listening="$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)"
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        if ! grep -qx "$p" <<<"$listening" && [[ " $used_ports " != *" $p "* ]]; then
            used_ports="$used_ports $p"
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

wait_http() {  # url pid name
    local url=$1 pid=$2 name=$3
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || { echo "--- $name log ---" >&2; cat "$TMP/$name.log" >&2 || true; die "$name exited during start-up"; }
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.05
    done
    die "$name did not answer $url within 10 s"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"

# ---- chanrong ---------------------------------------------------------------
cd "$TMP"
"$CHANRONG_BIN" seed-demo >"$TMP/seed.log" 2>&1 || { cat "$TMP/seed.log" >&2; die "seed-demo failed"; }
ADMIN_PASSWORD="$(awk '$1 == "admin" {print $2; exit}' "$TMP/seed.log")"
[[ -n "$ADMIN_PASSWORD" ]] || { cat "$TMP/seed.log" >&2; die "no admin password in seed-demo output"; }

CR_PORT="$(free_port)"
CHANRONG_LOG_ACCESS_LOG=false "$CHANRONG_BIN" serve --port "$CR_PORT" >"$TMP/chanrong.log" 2>&1 &
SERVER_PID=$!
CR="http://127.0.0.1:$CR_PORT"
wait_http "$CR/healthz" "$SERVER_PID" chanrong

LOGIN_BODY="$(jq -cn --arg p "$ADMIN_PASSWORD" '{username: "admin", password: $p}')"
TOKEN="$(curl -fsS -H 'Content-Type: application/json' -d "$LOGIN_BODY" "$CR/api/v1/auth/login" | jq -r '.token // empty')"
[[ -n "$TOKEN" ]] || die "login returned no token"
AUTH_HEADER="Authorization: Bearer $TOKEN"

mkdir -p "$TMP/www"
curl -fsS -H "$AUTH_HEADER" -o "$TMP/www/me.json" "$CR/api/v1/auth/me" || die "GET /api/v1/auth/me failed"
for _ in $(seq 1 10); do
    curl -fsS -o /dev/null "$CR/healthz"
    curl -fsS -o /dev/null -H "$AUTH_HEADER" "$CR/api/v1/auth/me"
done
sleep 1
IDLE_RSS_KB="$(rss_kb "$SERVER_PID")"
RESP_BYTES="$(stat -c %s "$TMP/www/me.json")"

# ---- nginx ------------------------------------------------------------------
NG_PORT="$(free_port)"
mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $TMP/nginx/tmp/body;
    proxy_temp_path $TMP/nginx/tmp/proxy;
    fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
    uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
    scgi_temp_path $TMP/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$NG_PORT;
        root $TMP/www;
        location = /me.json { default_type application/json; }
    }
}
EOF
if [[ $(id -u) -eq 0 ]]; then sed -i '1i user root;' "$TMP/nginx/nginx.conf"; fi
"$NGINX_BIN" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" >"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!
NG="http://127.0.0.1:$NG_PORT"
wait_http "$NG/me.json" "$NGINX_PID" nginx
cmp -s <(curl -fsS "$NG/me.json") "$TMP/www/me.json" || die "nginx does not serve the same bytes"

# ---- wrk --------------------------------------------------------------------
to_ms() {  # wrk latency ("812.00us", "1.23ms", "1.01s", "2.00m") -> ms
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

run_wrk() {  # name url [header]
    local name=$1 url=$2 out="$TMP/wrk-$1.txt"
    local -a hdr=()
    [[ $# -ge 3 ]] && hdr=(-H "$3")
    "$WRK_BIN" -t"$THREADS" -c"$CONNS" -d"${BENCH_WARMUP}s" "${hdr[@]}" "$url" >/dev/null
    "$WRK_BIN" -t"$THREADS" -c"$CONNS" -d"${BENCH_SECONDS}s" --latency "${hdr[@]}" "$url" >"$out"
    cat "$out" >&2
    grep -q '^Requests/sec:' "$out" || die "could not parse wrk output for $name"
}
wrk_rps() { awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-$1.txt"; }
wrk_pct() { to_ms "$(awk -v p="$2%" '$1 == p {print $2; exit}' "$TMP/wrk-$1.txt")"; }
wrk_errors() {  # non-2xx responses plus socket errors
    awk '/Non-2xx or 3xx responses:/ {n += $NF}
         /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i + 0 }
         END {print n + 0}' "$TMP/wrk-$1.txt"
}

echo "== nginx $NG/me.json" >&2
run_wrk nginx "$NG/me.json"
echo "== chanrong $CR/api/v1/auth/me" >&2
run_wrk chanrong "$CR/api/v1/auth/me" "$AUTH_HEADER"

NG_RPS="$(wrk_rps nginx)";      CR_RPS="$(wrk_rps chanrong)"
NG_P50="$(wrk_pct nginx 50)";   CR_P50="$(wrk_pct chanrong 50)"
NG_P99="$(wrk_pct nginx 99)";   CR_P99="$(wrk_pct chanrong 99)"
NG_ERR="$(wrk_errors nginx)";   CR_ERR="$(wrk_errors chanrong)"
NG_RSS_KB=0
for p in $(pgrep -P "$NGINX_PID" 2>/dev/null || true) "$NGINX_PID"; do
    NG_RSS_KB=$(( NG_RSS_KB + $(rss_kb "$p" 2>/dev/null || echo 0) ))
done
RATIO="$(awk -v a="$CR_RPS" -v b="$NG_RPS" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
IDLE_MB="$(awk -v k="$IDLE_RSS_KB" 'BEGIN {printf "%.1f", k / 1024}')"
NG_MB="$(awk -v k="$NG_RSS_KB" 'BEGIN {printf "%.1f", k / 1024}')"

LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"
NOISY="$(awk -v l="$LOAD_BEFORE" -v n="$(nproc)" 'BEGIN {print (l > n / 2) ? "yes" : "no"}')"

verdict() { if awk "BEGIN {exit !($1)}"; then echo PASS; else echo FAIL; fi; }
V_RATIO="$(verdict "$RATIO >= 0.50")"
V_P99="$(verdict "$CR_P99 < 10")"
V_IDLE="$(verdict "$IDLE_MB < 60")"
V_ERR="$(verdict "$CR_ERR == 0")"

report() {
    echo "### HTTP benchmark — wrk -t$THREADS -c$CONNS -d${BENCH_SECONDS}s, keep-alive, $(nproc) CPU, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "| target | requests/s | p50 ms | p99 ms | ratio chanrong/nginx | idle RSS MB | response bytes | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    echo "| nginx static /me.json | $NG_RPS | $NG_P50 | $NG_P99 | 1.00 | $NG_MB (all processes, after run) | $RESP_BYTES | $NG_ERR |"
    echo "| chanrong GET /api/v1/auth/me (Bearer) | $CR_RPS | $CR_P50 | $CR_P99 | $RATIO | $IDLE_MB | $RESP_BYTES | $CR_ERR |"
    echo
    echo "- throughput ≥ 50% of nginx: $V_RATIO ($RATIO)"
    echo "- p99 < 10 ms: $V_P99 (${CR_P99} ms)"
    echo "- idle RSS < 60 MB: $V_IDLE (${IDLE_MB} MB)"
    echo "- no errors / non-2xx: $V_ERR ($CR_ERR)"
    echo
    echo "Load average (1 min) before/after: $LOAD_BEFORE / $LOAD_AFTER."
    if [[ "$NOISY" == yes ]]; then
        echo "WARNING: the machine was busy before the run; wrk shares the CPUs with other work, so these numbers are not representative."
    fi
}
report
[[ -n "${BENCH_OUT:-}" ]] && report >"$BENCH_OUT"

[[ "$V_RATIO$V_P99$V_IDLE$V_ERR" == PASSPASSPASSPASS ]] || exit 1
exit 0
