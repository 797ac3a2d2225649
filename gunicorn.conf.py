"""Gunicorn settings for `make serve` (and `make bench`). Every value can be set from the environment."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: the page cache answers most requests in well under a millisecond, so
# processes (one per core and a half) beat threads under the GIL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down. Cached
# pages are answered by the thousand a second: at 10,000 each of five workers was
# replaced every few seconds under load (a cold start and an empty local cache each).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master: faster worker start, shared memory.
preload_app = True


def when_ready(server):
    """In the master, after the app is loaded and before the workers fork: warm it."""
    from website.wsgi import warm_up

    warm_up()


accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Which proxies may set X-Forwarded-Proto / X-Forwarded-For (comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No control socket in the home directory (gunicorn 23+); several servers may run.
control_socket_disable = True
raw_env = [
    "DJANGO_SETTINGS_MODULE="
    + os.environ.get("DJANGO_SETTINGS_MODULE", "website.settings.production")
]
