#!/usr/bin/env bash
# Matching through the HTTP API at full scale: a SQLite database with N enterprises (with credit grades), N open
# demands and 20,000 products of 3,000 institutions, the real server, and wrk asking for the top-10 matches (with
# explanations, near misses and counterfactuals, each list stored for replay) of random demands.
#
#   bench/matching_http_bench.sh [N=1000000] [seconds=30]
#   BENCH_DIR=/tmp/keep bench/matching_http_bench.sh …   # keeps the generated database there and reuses it
#
# Target (matching issue): p99 ≤ 10 ms for a single demand through the HTTP API.
set -euo pipefail
N=${1:-1000000}
SECONDS_RUN=${2:-30}
BIN=${CHANRONG_BIN:-build/chanrong}
DIR=${BENCH_DIR:-$(mktemp -d /tmp/chanrong-match-http.XXXX)}
mkdir -p "$DIR"
PORT=${PORT:-18555}
export CHANRONG_DATABASE_URL="sqlite:$DIR/bench.db" CHANRONG_SERVER_PORT=$PORT CHANRONG_LOG_ACCESS_LOG=false \
       CHANRONG_SERVER_WEB_ROOT=$DIR/none CHANRONG_LOG_FILE=$DIR/server.log
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; [ -n "${BENCH_DIR:-}" ] || rm -rf "$DIR"' EXIT

if [ -s "$DIR/bench.db" ]; then
  echo "reusing $DIR/bench.db"
else
"$BIN" migrate >/dev/null 2>&1
echo "generating $N enterprises, $N demands, 20000 products of 3000 institutions …"
start=$(date +%s.%N)
sqlite3 "$DIR/bench.db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO institutions (name, name_normalized, kind, district, created_at, updated_at)
SELECT '机构' || i, '机构' || i, 'bank', '思明区', 1, 1 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO enterprises (uscc, name, name_normalized, district, industry_code, industry_446, size_class, founded_on,
                         created_at, updated_at)
SELECT printf('B%017d', i), '企业' || i, '企业' || i,
       CASE i % 6 WHEN 0 THEN '思明区' WHEN 1 THEN '湖里区' WHEN 2 THEN '集美区' WHEN 3 THEN '海沧区' WHEN 4 THEN '同安区' ELSE '翔安区' END,
       CASE i % 4 WHEN 0 THEN 'C3974' WHEN 1 THEN 'I6513' WHEN 2 THEN 'C3841' ELSE 'F5179' END,
       CASE i % 7 WHEN 0 THEN 'P1' WHEN 1 THEN 'P2' WHEN 2 THEN 'S1' WHEN 3 THEN 'S3' WHEN 4 THEN 'F1' WHEN 5 THEN 'F7' ELSE '' END,  -- '' = outside 4+4+6, as the platform writes it
       CASE i % 4 WHEN 0 THEN 'large' WHEN 1 THEN 'medium' WHEN 2 THEN 'small' ELSE 'micro' END,
       printf('%04d-03-01', 2000 + i % 25), 1, 1
FROM n;
INSERT INTO credit_scores (enterprise_id, model_version, as_of, computed_at, score, grade, inputs, result, reason, is_current)
SELECT id, (SELECT version FROM credit_models WHERE active = 1), '2026-11-01', 1, 500 + id % 450,
       CASE id % 6 WHEN 0 THEN 'AAA' WHEN 1 THEN 'AA' WHEN 2 THEN 'A' WHEN 3 THEN 'BBB' WHEN 4 THEN 'BB' ELSE 'B' END,
       '{"features":{},"red_flags":[]}', '{}', 'bench', 1
FROM enterprises;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO demands (enterprise_id, amount_fen, term_months, purpose, max_rate_bp, status, created_at, updated_at)
SELECT 1 + (i * 7919) % $N, (50 + (i * 31) % 5000) * 1000000, 6 + (i % 5) * 12,
       CASE i % 4 WHEN 0 THEN 'working_capital' WHEN 1 THEN 'equipment' WHEN 2 THEN 'rd' ELSE 'project' END, 600, 'open', 1, 1
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO products (institution_id, name, kind, amount_min_fen, amount_max_fen, term_min_months, term_max_months,
                      rate_mode, rate_min_bp, rate_max_bp, eligibility, monthly_capacity, status, created_at, updated_at)
SELECT 1 + i % 3000, '产品' || i,
       CASE i % 5 WHEN 0 THEN 'credit_loan' WHEN 1 THEN 'mortgage_loan' WHEN 2 THEN 'tech_credit' WHEN 3 THEN 'supply_chain' ELSE 'green_loan' END,
       (10 + i % 200) * 1000000, (1000 + i % 9000) * 1000000, 1, 12 + (i % 6) * 12, 'fixed', 280 + i % 200, 450 + i % 200,
       -- three constraints each (4+4+6 classes, size, district) plus the amount range: about 5 % of the products
       -- are eligible for a demand, as in the engine's synthetic city (bench/matching_bench.cpp)
       '{"classes446":' || CASE i % 4 WHEN 0 THEN '["P1","S1","F1"]' WHEN 1 THEN '["P2","S3","F7"]' WHEN 2 THEN '["P1","P2","S3"]'
                                      ELSE '["S1","F1","F7"]' END ||
       ',"sizes":' || CASE i % 3 WHEN 0 THEN '["small","micro"]' WHEN 1 THEN '["medium","large"]' ELSE '["medium","small"]' END ||
       ',"districts":' || CASE i % 2 WHEN 0 THEN '["思明区","湖里区","集美区"]' ELSE '["海沧区","同安区","翔安区"]' END ||
       CASE i % 5 WHEN 0 THEN ',"min_credit_grade":"A"' ELSE '' END || '}',
       50, 'published', 1, 1
FROM n;
COMMIT;
SQL
printf "  generated in %.1f s\n" "$(echo "$(date +%s.%N) - $start" | bc)"
"$BIN" init-admin --username perfuser --password 'Chanrong-Perf-9x!' >/dev/null
fi
"$BIN" serve >/dev/null 2>"${TIMING_LOG:-/dev/null}" &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -s "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
        -d '{"username":"perfuser","password":"Chanrong-Perf-9x!"}' | jq -r .token)
start=$(date +%s.%N)
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/demands/1/matches" -H "authorization: Bearer $TOKEN"; do sleep 0.5; done
printf "index built and first answer after %.1f s; server RSS %s MB\n" "$(echo "$(date +%s.%N) - $start" | bc)" \
       "$(( $(ps -o rss= -p $SERVER) / 1024 ))"
curl -s "http://127.0.0.1:$PORT/api/v1/demands/12345/matches" -H "authorization: Bearer $TOKEN" |
  jq -c '{eligible_count, products_indexed, top: [.recommendations[0:3][] | {product_id, score}], counterfactuals: (.counterfactuals | length)}'

cat > "$DIR/random.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/demands/" .. math.random(1, $N) .. "/matches", {["Authorization"] = "Bearer $TOKEN"})
end
LUA
for c in 1 4; do
  echo "wrk: $c connection(s), ${SECONDS_RUN}s, random demands"
  wrk -t1 -c$c -d${SECONDS_RUN}s --latency -s "$DIR/random.lua" "http://127.0.0.1:$PORT" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
done
echo "server RSS after the runs: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB"
