#!/bin/sh
# Keep a process running: restart it whenever it exits, waiting a little longer after each quick
# crash (RENDA_SUPERVISE_MIN_DELAY seconds, doubling up to 30; back to the minimum after a run of a
# minute or more). TERM or INT stops the process and the supervisor.
# Used by `make run` for the job worker; production uses systemd (deploy/renda-worker.service).
#   scripts/supervise.sh NAME COMMAND [ARGS...]
name="$1"
shift
min_delay="${RENDA_SUPERVISE_MIN_DELAY:-1}"
delay="$min_delay"
child=""

stop() {
    [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
    exit 0
}
trap stop TERM INT

while :; do
    started=$(date +%s)
    "$@" &
    child=$!
    wait "$child"
    code=$?
    child=""
    ran=$(( $(date +%s) - started ))
    if [ "$ran" -ge 60 ]; then delay="$min_delay"; fi
    echo "[supervise] $name 已退出（代码 $code），${delay} 秒后重启" >&2
    sleep "$delay" &
    wait $!
    delay=$(awk -v d="$delay" 'BEGIN { d = d * 2; if (d > 30) d = 30; print d }')
done
