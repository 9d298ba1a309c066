"""What the orchestrator and the monitoring ask of a web process: liveness, readiness and
metrics. Answered ahead of every other middleware: a probe or a scrape comes over plain
HTTP to the container's own address, which the TLS redirect (301) and ALLOWED_HOSTS (400)
would otherwise refuse, and it needs no session.

/healthz says the process answers (restart it if not). /readyz says whether it can serve:
its database answers, every migration is applied, its broker answers and, where similar
decisions uses closeness in meaning, an encoder worker consumes the encoder's queue. It
answers 503 with what failed, so that a deployment waits for it or takes it out of rotation.

/metrics is Prometheus's (django-prometheus: requests, responses and latencies by view, of
every gunicorn worker), for a scraper that sends METRICS_TOKEN as its bearer token; with no
token configured there are none to be had (404)."""

import hmac
import json
import time

from celery import current_app
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django_prometheus.exports import ExportToDjangoView

from precedent import search

# Asking the workers which queues they consume takes up to a second: a probe every few
# seconds reuses an answer this recent.
ENCODER_ANSWER_KEPT = 30
_encoder_seen: dict = {}


class ProbesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _answer(200, {"status": "ok"})
        if request.path == "/readyz":
            checks = readiness()
            ready = all(value in OK for value in checks.values())
            return _answer(200 if ready else 503, {"status": "ready" if ready else "not ready", **checks})
        if request.path == "/metrics":
            if not settings.METRICS_TOKEN:
                return _answer(404, {"detail": "Not found."})
            sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(sent.encode(), settings.METRICS_TOKEN.encode()):
                return _answer(401, {"detail": "Send the metrics token as a bearer token."})
            return ExportToDjangoView(request)
        return self.get_response(request)


OK = {"ok", "in-process", "not used"}


def readiness() -> dict[str, str]:
    return {"database": _database(), "migrations": _migrations(), "broker": _broker(), "encoder": _encoder()}


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return f"unknown: {type(error).__name__}"
    return "ok" if not waiting else f"{len(waiting)} not applied"


def _broker() -> str:
    if current_app.conf.task_always_eager:
        return "in-process"
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"unreachable: {type(error).__name__}"
    return "ok"


def _encoder() -> str:
    if current_app.conf.task_always_eager or not search.embeds():
        return "not used"
    if _encoder_seen.get("at", 0) > time.monotonic() - ENCODER_ANSWER_KEPT:
        return _encoder_seen["answer"]
    try:
        queues = current_app.control.inspect(timeout=1).active_queues() or {}
    except Exception as error:
        answer = f"unreachable: {type(error).__name__}"
    else:
        serving = [worker for worker, consumed in queues.items() if any(q["name"] == "encode" for q in consumed)]
        answer = "ok" if serving else "no worker consumes the encode queue"
    _encoder_seen.update(at=time.monotonic(), answer=answer)
    return answer


def _answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
