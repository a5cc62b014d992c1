"""gunicorn settings for every page and API call except the event stream (served by uvicorn).

Sync workers with persistent database connections (CONN_MAX_AGE=60 from DATABASE_URL): each
worker handles one request at a time, so a process holds at most one connection, and the
PostgreSQL connection count is the number of workers, not the request rate.
Environment: CASTLESS_GUNICORN_BIND (default 127.0.0.1:8000), CASTLESS_GUNICORN_WORKERS
(default 2 per core + 1).
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("CASTLESS_GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CASTLESS_GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Uploads and the wizard's slower pages finish well inside this; a stuck worker is recycled.
timeout = 120
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow for weeks. A new worker imports the
# whole application and its URL configuration again (about 3 s of CPU measured): at 5000
# requests, with API calls of 1-2 ms of CPU, that was a third of the workers' time under load
# and a stall every few seconds; at 100 000 it is a few percent.
max_requests = 100_000
max_requests_jitter = 10_000
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
