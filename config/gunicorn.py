"""gunicorn's settings for the production shape (`gunicorn -c config/gunicorn.py`), so the
image, compose and scripts/prod.sh start the web process alike."""

import os
import shutil
from pathlib import Path

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
wsgi_app = "config.wsgi"
# Casebook writes its own access log, one JSON line a request with its id
# (casebook.middleware.RequestIdMiddleware); gunicorn's errors go to stderr.
accesslog = None
errorlog = "-"
# Time for requests in flight to finish after SIGTERM, within compose's stop_grace_period.
graceful_timeout = 25

# Prometheus counts per process: each worker writes its own in this directory and /metrics
# adds them up (prometheus_client's multiprocess mode).
_metrics = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    if _metrics:  # counts left by the last run are not this one's
        shutil.rmtree(_metrics, ignore_errors=True)
        Path(_metrics).mkdir(parents=True)


def child_exit(server, worker):
    if _metrics:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
