"""Loads the framework's revisions from principles/data/framework.toml, itself derived
provision by provision from the source documents. Each revision goes through the same
draft-and-publish services an admin uses, so the loaded history is audited like any other."""

import datetime
import tomllib
from pathlib import Path

from django.db import transaction

from principles import services
from principles.models import Revision

FRAMEWORK_FILE = Path(__file__).parent / "data" / "framework.toml"


def read_framework(path: Path = FRAMEWORK_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@transaction.atomic
def load_framework(path: Path = FRAMEWORK_FILE) -> list[int]:
    """Publish every revision of the file not yet in the database, in order. Returns the
    numbers loaded; running it again loads nothing."""
    data = read_framework(path)
    last = Revision.objects.order_by("-number").values_list("number", flat=True).first() or 0
    loaded = []
    for entry in sorted(data["revisions"], key=lambda r: r["number"]):
        number = entry["number"]
        if number <= last:
            continue
        draft = services.revision_draft(by=None, change_summary=entry["change_summary"])
        if draft.number != number:
            raise ValueError(f"{path.name} numbers its next revision {number}, but the database is at {last}.")
        for provision in data["provisions"]:
            if provision.get("retired_in") == number:
                services.revision_retire_provision(revision=draft, code=provision["code"], by=None)
                continue
            for text in provision["texts"]:
                if text["from_revision"] == number:
                    services.revision_set_text(
                        revision=draft,
                        code=provision["code"],
                        kind=provision["kind"],
                        source=provision.get("source", ""),
                        title=text["title"],
                        body=text["body"],
                        by=None,
                    )
        services.revision_publish(revision=draft, by=None, effective_date=_date(entry["effective_date"]))
        loaded.append(number)
        last = number
    return loaded


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
