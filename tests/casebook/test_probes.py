"""The orchestrator's probes: /healthz (alive) and /readyz (able to serve) answer a probe
over plain HTTP at the container's address, and readiness says what is missing."""

import json

from django.test import Client

from tests.outbox.test_outbox import broker_at, free_port


def test_the_probes_answer_plain_http_at_any_address(settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["casebook.example.org"]
    probe = Client(HTTP_HOST="10.1.2.3:8000")
    alive = probe.get("/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    ready = probe.get("/readyz")
    assert ready.status_code == 200, ready.content
    from celery import current_app

    broker = "in-process" if current_app.conf.task_always_eager else "ok"  # Redis, in the PostgreSQL leg
    assert ready.json() == {
        "status": "ready",
        "database": "ok",
        "migrations": "ok",
        "broker": broker,
        "encoder": "not used",
    }
    assert ready["Cache-Control"] == "no-store"
    # Anything else at that address is still refused as before.
    assert probe.get("/cases/").status_code == 400


def test_readiness_fails_while_the_broker_is_unreachable(db):
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        ready = Client().get("/readyz")
    body = json.loads(ready.content)
    assert ready.status_code == 503 and body["status"] == "not ready"
    assert body["broker"].startswith("unreachable") and body["database"] == "ok"


def test_metrics_are_for_the_scraper_holding_the_token(settings, db):
    scraper = Client(HTTP_HOST="10.1.2.3:8000")
    assert scraper.get("/metrics").status_code == 404  # no token configured: no metrics
    settings.METRICS_TOKEN = "a-long-scrape-token"
    assert scraper.get("/metrics").status_code == 401
    assert scraper.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    Client().get("/framework/")
    metrics = scraper.get("/metrics", HTTP_AUTHORIZATION="Bearer a-long-scrape-token")
    assert metrics.status_code == 200
    assert "django_http_requests_total_by_view_transport_method_total" in metrics.content.decode()


def test_log_lines_carry_the_request_id(settings, caplog, db):
    import logging

    from config.logs import ContextFilter

    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.INFO, logger="casebook.requests"):
        response = Client().get("/framework/", HTTP_X_REQUEST_ID="probe-request-0001")
    [line] = [r for r in caplog.records if r.name == "casebook.requests"]
    assert line.request_id == "probe-request-0001" == response["X-Request-ID"]
    assert (line.status, line.path) == (302, "/framework/")  # to sign in
