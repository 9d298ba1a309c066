"""The production compose file, image and lock files, read as an operator would (no Docker
engine here): what failed the last reading must not come back."""

import re
from pathlib import Path

import yaml
from celery.schedules import crontab
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ["migrate", "web", "worker", "encoder", "beat"]


def test_no_secret_or_local_setting_goes_into_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "secrets", ".venv", "var", "*.sqlite3"} <= set(ignored)


def test_secrets_come_as_files_and_the_rest_from_an_env_file():
    for name in APP:
        service = SERVICES[name]
        assert service["env_file"] == [".env"], name
        environment = service["environment"]
        for secret in ("SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "EMAIL_URL"):
            assert secret not in environment and environment[f"{secret}_FILE"].startswith("/run/secrets/"), name
        assert set(service["secrets"]) >= {"secret_key", "audit_key", "database_url", "email_url"}, name
    assert "POSTGRES_PASSWORD" not in SERVICES["postgres"]["environment"]


def test_migrations_run_once_before_anything_serves():
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "encoder", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in str(SERVICES[name].get("command", "")), name


def test_each_process_gets_its_signals_and_has_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^CMD \["gunicorn", "-c", "config/gunicorn.py"\]$', dockerfile, re.MULTILINE)
    assert "command" not in SERVICES["web"]  # the image's, in exec form
    for name in ("web", "worker", "encoder", "beat"):
        command = SERVICES[name].get("command", [])
        assert isinstance(command, list) and command[:1] != ["sh"], name
        assert SERVICES[name]["healthcheck"]["test"], name
    assert "/readyz" in str(SERVICES["web"]["healthcheck"]["test"])


def test_only_the_encoder_loads_the_model():
    assert "--queues=celery" in SERVICES["worker"]["command"]
    assert "--queues=encode,embed" in SERVICES["encoder"]["command"]
    assert "--pool=solo" in SERVICES["encoder"]["command"]
    routes = settings.CELERY_TASK_ROUTES
    assert routes["casebook.tasks.encode_draft"]["queue"] == "encode"
    assert routes["casebook.tasks.embed_case"]["queue"] == "embed"


def test_daily_jobs_run_at_fixed_times_from_a_schedule_that_survives_a_deploy():
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if name != "relay-outbox":
            assert isinstance(entry["schedule"], crontab), name
    beat = SERVICES["beat"]
    [schedule] = [arg for arg in beat["command"] if arg.startswith("--schedule=")]
    folder = str(Path(schedule.removeprefix("--schedule=")).parent)
    assert any(volume.endswith(f":{folder}") for volume in beat["volumes"])


def test_every_package_is_installed_at_a_locked_version_and_hash():
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements/dev.lock" in makefile
    assert "--require-hashes -r requirements/${LOCK}.lock" in dockerfile
    for lock in ("app", "app-semantic", "dev", "dev-semantic", "torch-cpu"):
        text = (ROOT / "requirements" / f"{lock}.lock").read_text()
        pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE)
        assert pins, lock
        blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.MULTILINE)[1:]
        assert all("--hash=sha256:" in block for block in blocks), lock
    assert "torch==2.13.0+cpu" in (ROOT / "requirements" / "app-semantic.lock").read_text()
