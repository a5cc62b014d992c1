#!/usr/bin/env bash
# `make run`'s last step: the development web server and one django-q2 worker, stopped together.
#
# The worker runs in its own session, so Ctrl-C reaches it only through the trap below: a TERM
# to its main process lets it stop cleanly (a TERM to its whole group would kill django-q2's
# sentinel outright and leave the main process waiting for it), and whatever still runs after STOP_GRACE seconds (a render in progress,
# whose draft the reaper retries later) is killed, so Ctrl-C never leaves the terminal hanging.
set -u
PYTHON=${PYTHON:-.venv/bin/python}
ADDR=${1:-127.0.0.1:8000}
STOP_GRACE=${STOP_GRACE:-3}

stop() {
  trap - INT TERM EXIT
  kill -TERM "$web" 2>/dev/null
  kill -TERM "$worker" 2>/dev/null
  for _ in $(seq "$((STOP_GRACE * 10))"); do
    kill -0 -- "-$worker" 2>/dev/null || kill -0 "$web" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$worker" 2>/dev/null
  kill -KILL "$web" 2>/dev/null
  wait
}
trap stop INT TERM EXIT

setsid "$PYTHON" manage.py worker &
worker=$!
"$PYTHON" manage.py runserver --noreload "$ADDR" &
web=$!
wait -n
