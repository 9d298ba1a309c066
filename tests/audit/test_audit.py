import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import anchor
from audit import log as audit
from audit.models import AuditEvent, AuditHead

TRIGGER = "casebook_auditevent_append_only"


def _tamper(sql: str, params=()):
    """What someone who owns the database could do: the append-only guards live in the ORM
    and in a trigger (migration audit 0002), so going around them takes raw SQL with the
    trigger set aside."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
            cursor.execute(f"ALTER TABLE casebook_auditevent DISABLE TRIGGER {TRIGGER}")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE casebook_auditevent ENABLE TRIGGER {TRIGGER}")
        else:
            cursor.execute(f"SELECT sql FROM sqlite_master WHERE name = '{TRIGGER}'")
            [(trigger,)] = cursor.fetchall()
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
            cursor.execute(sql, params)
            cursor.execute(trigger)


@pytest.fixture
def chain(admin_user, django_capture_on_commit_callbacks):
    # Each entry committed, as in use: its anchor outside the database moves on with it.
    with django_capture_on_commit_callbacks(execute=True):
        return [audit.record("test.event", actor=admin_user, after={"n": n}) for n in range(5)]


def test_it_chains_each_entry_to_the_one_before(chain):
    assert chain[0].prev_hash == audit.GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
    assert audit.verify() == (5, None)


def test_it_records_actor_object_and_states(admin_user):
    event = audit.record("user.touched", actor=admin_user, obj=admin_user, before={"a": 1}, after={"a": 2})
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_username, event.object_type, event.object_id) == ("admin", "casebook.user", str(admin_user.pk))
    assert (event.before, event.after) == ({"a": 1}, {"a": 2})
    assert event.at.tzinfo is not None


@pytest.mark.resilience(tampering="an edit or deletion through the ORM")
def test_it_refuses_changes_through_the_orm(chain):
    with pytest.raises(PermissionError):
        chain[0].save()
    with pytest.raises(PermissionError):
        chain[0].delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=chain[0].pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.resilience(tampering="an edited entry")
def test_it_catches_an_edited_entry(chain):
    _tamper("UPDATE casebook_auditevent SET action = %s WHERE id = %s", ["test.forged", chain[2].pk])
    with pytest.raises(CommandError, match=rf"entry #{chain[2].pk}: its content does not match its hash"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="an entry deleted from the middle")
def test_it_catches_a_deleted_entry(chain):
    _tamper("DELETE FROM casebook_auditevent WHERE id = %s", [chain[1].pk])
    with pytest.raises(CommandError, match=rf"entry #{chain[2].pk}: its previous-hash does not match"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="entries reordered")
def test_it_catches_reordered_entries(chain):
    # Swap the contents of two entries, hashes included, so each is internally consistent.
    first, second = chain[1], chain[3]
    for event, other in ((first, second), (second, first)):
        _tamper(
            "UPDATE casebook_auditevent SET after = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [f'{{"n": {other.after["n"]}}}', other.prev_hash, f"tmp{other.pk}", event.pk],
        )
    for event, other in ((first, second), (second, first)):
        _tamper("UPDATE casebook_auditevent SET hash = %s WHERE id = %s", [other.hash, event.pk])
    with pytest.raises(CommandError, match=rf"entry #{first.pk}: its previous-hash does not match"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="an entry forged without the key")
def test_it_catches_an_entry_forged_without_the_key(chain):
    # A forger who can write to the database chains a new entry correctly, but cannot
    # compute its keyed hash.
    forged = AuditEvent(at=chain[4].at, actor_username="admin", action="test.forged", prev_hash=chain[4].hash)
    forged.hash = forged.compute_hash(b"a guessed key")
    _tamper(
        "INSERT INTO casebook_auditevent (id, at, actor_username, action, object_type, object_id, object_repr, "
        "request_id, prev_hash, hash) VALUES (%s, %s, 'admin', 'test.forged', '', '', '', '', %s, %s)",
        [chain[4].pk + 1, chain[4].at, forged.prev_hash, forged.hash],
    )
    with pytest.raises(CommandError, match=rf"entry #{chain[4].pk + 1}: its content does not match its hash"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="entries deleted from the end")
def test_it_catches_entries_deleted_from_the_end(chain):
    _tamper("DELETE FROM casebook_auditevent WHERE id >= %s", [chain[3].pk])
    with pytest.raises(
        CommandError,
        match=rf"entry #{chain[2].pk}: the log ends here but its signed head records "
        rf"entry #{chain[4].pk}",
    ):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="a changed actor")
def test_it_catches_a_changed_actor(chain, reviewer):
    _tamper("UPDATE casebook_auditevent SET actor_id = %s WHERE id = %s", [reviewer.pk, chain[0].pk])
    with pytest.raises(CommandError, match=rf"entry #{chain[0].pk}: its content does not match its hash"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="a forged head")
def test_it_catches_a_forged_head(chain):
    _tamper("UPDATE casebook_audithead SET last_id = %s, last_hash = %s", [chain[2].pk, chain[2].hash])
    with pytest.raises(CommandError, match="the signed head of the log is missing or forged"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="raw SQL UPDATE, DELETE and TRUNCATE")
def test_the_database_itself_refuses_to_edit_an_entry(chain):
    from django.db import DatabaseError, transaction

    statements = ["UPDATE casebook_auditevent SET action = 'test.forged'"]
    if connection.vendor == "postgresql":
        statements += ["DELETE FROM casebook_auditevent", "TRUNCATE casebook_auditevent"]
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL casebook.flushing_tests = 'off'")  # as any session but the tests' own
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred check
            cursor.execute(statement)
    assert audit.verify() == (5, None)


@pytest.mark.resilience(tampering="truncation with an older head replayed")
def test_it_catches_the_end_cut_off_and_an_older_head_put_back(chain):
    # The head as it stood after the third entry, from a backup, say: genuinely signed.
    older = (chain[2].pk, chain[2].hash, AuditHead.sign(audit._key(), chain[2].pk, chain[2].hash))
    _tamper("DELETE FROM casebook_auditevent WHERE id >= %s", [chain[3].pk])
    _tamper("UPDATE casebook_audithead SET last_id = %s, last_hash = %s, signature = %s", older)
    with pytest.raises(
        CommandError,
        match=rf"entry #{chain[2].pk}: the log ends at entry #{chain[2].pk} but its anchor outside the "
        rf"database records entry #{chain[4].pk}",
    ):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="an emptied log and head")
def test_it_catches_an_emptied_log(chain):
    _tamper("DELETE FROM casebook_auditevent")
    _tamper("DELETE FROM casebook_audithead")
    with pytest.raises(CommandError, match=rf"its anchor outside the database records entry #{chain[4].pk}"):
        call_command("verify_audit")


@pytest.mark.resilience(tampering="a forged anchor")
def test_it_catches_a_forged_anchor(chain, settings):
    Path(settings.AUDIT_ANCHOR_FILE).write_text(
        json.dumps({"last_id": chain[1].pk, "last_hash": chain[1].hash, "signature": "0" * 64})
    )
    with pytest.raises(CommandError, match="anchor outside the database .* is unreadable or forged"):
        call_command("verify_audit")


def test_an_anchor_moves_only_forward_and_is_written_when_asked(chain, settings, capsys):
    anchored = json.loads(Path(settings.AUDIT_ANCHOR_FILE).read_text())
    assert anchored["last_id"] == chain[4].pk
    anchor.advance(audit._key(), chain[1].pk, chain[1].hash)  # a slower writer finishing late
    assert json.loads(Path(settings.AUDIT_ANCHOR_FILE).read_text()) == anchored

    Path(settings.AUDIT_ANCHOR_FILE).unlink()  # an installation from before anchors
    assert audit.verify()[1] is not None and audit.verify(anchored=False) == (5, None)
    call_command("verify_audit", "--anchor")
    assert "anchored at entry" in capsys.readouterr().out
    assert json.loads(Path(settings.AUDIT_ANCHOR_FILE).read_text())["last_id"] == chain[4].pk


@pytest.mark.resilience(tampering="a deleted or spoilt anchor")
@pytest.mark.parametrize("spoilt", ["[1, 2]", "7", '{"last_id": "x"}', "not json", None], ids=repr)
def test_a_deleted_or_spoilt_anchor_fails_verification_and_no_append_mends_it(
    chain, settings, admin_user, django_capture_on_commit_callbacks, spoilt
):
    anchor_file = Path(settings.AUDIT_ANCHOR_FILE)
    if spoilt is None:
        anchor_file.unlink()
    else:
        anchor_file.write_text(spoilt)
    with django_capture_on_commit_callbacks(execute=True):
        audit.record("test.event", actor=admin_user)
    assert (anchor_file.read_text() if anchor_file.exists() else None) == spoilt
    with pytest.raises(
        CommandError, match="no anchor outside the database" if spoilt is None else "unreadable or forged"
    ):
        call_command("verify_audit")


def test_it_stores_nul_characters_harmlessly(admin_user):
    event = audit.record("access.denied", actor=admin_user, object_repr="GET /admin/\x00", after={"path": "/a\x00b"})
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.object_repr, event.after["path"]) == ("GET /admin/\\x00", "/a\\x00b")
    assert audit.verify(anchored=False) == (1, None)  # never committed, so never anchored


def test_it_says_the_chain_is_intact(chain, capsys):
    call_command("verify_audit")
    assert "Audit chain intact: 5 entries verified." in capsys.readouterr().out


def test_it_rolls_back_the_entry_with_the_change(admin_user):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.event", actor=admin_user)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


def test_it_names_the_records_of_a_moved_model_as_it_first_did(reviewer):
    from precedent.models import SavedSearch
    from precedent.services import saved_search_save

    saved = saved_search_save(owner=reviewer, name="Ports", query="q=port")
    entry = AuditEvent.objects.get(action="saved_search.saved")
    assert entry.object_type == "casebook.savedsearch"  # as before SavedSearch moved to precedent
    assert audit.model_named(entry.object_type) is SavedSearch and saved.pk == int(entry.object_id)
    assert audit.model_named("casebook.case").__name__ == "Case" and audit.model_named("no.such") is None


def test_it_records_a_sign_out_made_through_the_page(reviewer):
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    assert client.post("/accounts/logout/").status_code == 302
    entry = AuditEvent.objects.get(action="auth.signed_out")
    assert (entry.object_type, entry.object_id) == ("casebook.user", str(reviewer.pk))
