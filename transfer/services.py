"""Export and import of a whole casebook: users and their roles, the framework, partners,
cases with their data, assignments, tags, opinions, escalations, decisions, conditions and
citations, comments, similarity feedback, partner reassessments, the revision impact queue,
notifications, saved searches, and the audit log.

The file is JSON: {"format": "casebook", "version": 1, "exported_at", "tables": {name: rows}}.
A row holds a record's columns by attribute name (foreign keys as ids of rows of the same
file), its many-to-many fields as lists of ids, and, for a user, the roles by name.

Into an empty database every record keeps its id, so the audit chain (whose hashes cover
actor ids) still verifies under the same AUDIT_KEY; the import checks that it does. With
`merge`, records are matched by natural key: those already here stay as they are, the others
are added under new ids, and the file's audit entries are chained onto this log. Either way
one bad row refuses the whole file and nothing is written.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent, AuditHead
from casebook.models import (
    Assignment,
    Case,
    CaseData,
    Citation,
    Condition,
    Decision,
    DocketCounter,
    Headnote,
    Partner,
    Tag,
    TagVerdict,
    User,
)
from core.roles import Role
from notifications.models import Notification
from outbox.models import QueuedTask
from precedent import search
from precedent.models import (
    CaseEmbedding,
    DigestSent,
    DigestSubscription,
    FittedWeights,
    ImpactItem,
    IndexChange,
    SavedSearch,
    SearchEntry,
    SimilarityFeedback,
)
from principles.models import Provision, ProvisionText, Revision
from reviews.models import Comment, Escalation, Opinion, PrecedentCheck, Reassessment

FORMAT, VERSION = "casebook", 1


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    # Natural key, by attribute name, that a merge matches existing records on.
    key: tuple[str, ...]


# In dependency order: a row only refers to rows of the tables above it (or, for a
# decision's `supersedes`, to an earlier row of its own table).
TABLES = [
    Table("users", User, ("username",)),
    Table("revisions", Revision, ("number",)),
    Table("provisions", Provision, ("code",)),
    Table("provision_texts", ProvisionText, ("revision_id", "provision_id")),
    Table("partners", Partner, ("name",)),
    Table("cases", Case, ("filed_by_id", "created_at", "title")),
    Table("case_data", CaseData, ("case_id", "category")),
    Table("assignments", Assignment, ("case_id", "person_id")),
    Table("escalations", Escalation, ("case_id", "created_at")),
    Table("docket_counters", DocketCounter, ("year",)),
    Table("tags", Tag, ("case_id", "provision_id")),
    Table("tag_verdicts", TagVerdict, ("case_id", "provision_id", "stance")),
    Table("decisions", Decision, ("case_id", "issued_at")),
    Table("conditions", Condition, ("decision_id", "text")),
    Table("impact_items", ImpactItem, ("revision_id", "decision_id")),
    Table("opinions", Opinion, ("case_id", "author_id", "filed_at")),
    Table("headnotes", Headnote, ("decision_id", "number")),
    Table("precedent_checks", PrecedentCheck, ("decision_id",)),
    Table("citations", Citation, ("citing_id", "cited_id", "provision_id")),
    Table("comments", Comment, ("case_id", "author_id", "created_at")),
    Table("similarity_feedback", SimilarityFeedback, ("case_id", "similar_case_id", "by_id")),
    Table("reassessments", Reassessment, ("partner_id", "opened_at")),
    Table("notifications", Notification, ("recipient_id", "key")),
    Table("saved_searches", SavedSearch, ("owner_id", "name")),
    Table("digest_subscriptions", DigestSubscription, ("user_id",)),
    Table("digests_sent", DigestSent, ("user_id", "month")),
    Table("audit_events", AuditEvent, ("at", "action", "object_type", "object_repr", "actor_username", "request_id")),
    Table("audit_head", AuditHead, ()),
]
TABLE_OF = {table.model: table for table in TABLES}
# Made from the tables above, never carried in the file: the search entries and the engine's
# index are rebuilt after an import (which leaves nothing pending in the change feed); the
# embeddings by `manage.py embed_cases`; similar decisions' weights refitted on the
# casebook's judgements by `manage.py refit_similarity`.
DERIVED = [SearchEntry, IndexChange, CaseEmbedding, FittedWeights]
# Never carried either: tasks waiting for the broker belong to the installation that asked for them.
IN_FLIGHT = [QueuedTask]


class ImportRefused(Exception):
    """The file cannot be imported; the message says why. Nothing was written."""


def _many_to_many(model) -> list:
    # A user's permissions come from their roles; the roles travel by name instead of groups.
    return [] if model is User else list(model._meta.many_to_many)


def _plain(value):
    # Full precision: the audit hashes cover timestamps to the microsecond.
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


# Export -----------------------------------------------------------------------------


def export_casebook() -> dict:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, however busy the casebook is meanwhile.
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        tables = {table.name: _export_rows(table.model) for table in TABLES}
    return {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat(), "tables": tables}


def _export_rows(model) -> list[dict]:
    many = _many_to_many(model)
    rows = model._base_manager.order_by("pk").prefetch_related(*(field.name for field in many))
    if model is User:
        rows = rows.prefetch_related("groups")
    out = []
    for record in rows.iterator(chunk_size=2000):
        row = {field.attname: _plain(field.value_from_object(record)) for field in model._meta.concrete_fields}
        for field in many:
            row[field.name] = sorted(related.pk for related in getattr(record, field.name).all())
        if model is User:
            row["roles"] = sorted(group.name for group in record.groups.all() if group.name in Role.values)
        out.append(row)
    return out


# Import -----------------------------------------------------------------------------


def casebook_is_empty() -> bool:
    return not any(table.model._base_manager.exists() for table in TABLES)


def import_casebook(data, *, merge: bool = False, source: str = "") -> dict[str, int]:
    """Load an exported casebook; returns how many records of each table were added."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused("This is not a Casebook export (its 'format' is not 'casebook').")
    if data.get("version") != VERSION:
        raise ImportRefused(f"This file is version {data.get('version')!r}; this Casebook reads version {VERSION}.")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ImportRefused("The file has no 'tables' object.")
    unknown = sorted(set(tables) - {table.name for table in TABLES})
    if unknown:
        raise ImportRefused(f"Unknown tables: {', '.join(unknown)}.")
    try:
        with transaction.atomic():
            if not merge and not casebook_is_empty():
                raise ImportRefused(
                    "This database already holds a casebook. Import into an empty database, or merge into this one."
                )
            loader = _Loader(merge=merge)
            for table in TABLES:
                rows = tables.get(table.name, [])
                if not isinstance(rows, list):
                    raise ImportRefused(f"{table.name}: expected a list of rows.")
                for n, row in enumerate(rows):
                    loader.load(table, n, row)
            loader.finish(source)
            return loader.added
    except DatabaseError as exc:
        raise ImportRefused(f"The database refused a row: {exc}") from exc


class _Loader:
    def __init__(self, *, merge: bool):
        self.merge = merge
        # For each model, the file's ids mapped to the ids the records have here.
        self.ids: dict[type[models.Model], dict] = {table.model: {} for table in TABLES}
        self.added = {table.name: 0 for table in TABLES}
        self.roles = {group.name: group for group in Group.objects.filter(name__in=Role.values)}

    def load(self, table: Table, n: int, row) -> None:
        where = f"{table.name}[{n}]"
        model = table.model
        if not isinstance(row, dict):
            raise ImportRefused(f"{where}: expected an object.")
        many = _many_to_many(model)
        expected = {field.attname for field in model._meta.concrete_fields} | {field.name for field in many}
        if model is User:
            expected.add("roles")
        missing, unknown = sorted(expected - set(row)), sorted(set(row) - expected)
        if missing:
            raise ImportRefused(f"{where}: missing {', '.join(missing)}.")
        if unknown:
            raise ImportRefused(f"{where}: unknown {', '.join(unknown)}.")
        if model is PrecedentCheck:
            row = self._checked_ids(where, row)
        record = self._build(where, model, row)
        related = {field: self._map_ids(where, field, row[field.name]) for field in many}
        roles = self._roles(where, row["roles"]) if model is User else None
        old_id = row[model._meta.pk.attname]
        existing = self._existing(table, record) if self.merge else None
        if existing is not None:
            self.ids[model][old_id] = existing.pk
            self._reconcile(where, model, record, existing)
            return
        if model is AuditHead and self.merge:
            return  # this log's own head moves as the merged entries are chained on
        if model is AuditEvent and self.merge:
            self.ids[model][old_id] = self._chain(record).pk
        else:
            if self.merge and isinstance(model._meta.pk, models.AutoField):
                record.pk = None  # drawn afresh here
            record.save_base(raw=True, force_insert=True)
            self.ids[model][old_id] = record.pk
        self.added[table.name] += 1
        for field, ids in related.items():
            getattr(record, field.name).set(ids)
        if roles is not None:
            record.groups.set(roles)

    def _build(self, where: str, model, row: dict) -> models.Model:
        values, errors = {}, {}
        for field in model._meta.concrete_fields:
            raw = row[field.attname]
            if isinstance(raw, str) and "\x00" in raw:
                errors[field.name] = ["contains a NUL character"]
            elif isinstance(raw, str) and field.max_length and len(raw) > field.max_length:
                # Only forms check a TextField's max_length; a file goes through no form.
                errors[field.name] = [f"is {len(raw):,} characters; at most {field.max_length:,}"]
            elif field.is_relation and raw is not None:
                mapped = self.ids[field.related_model].get(raw)
                if mapped is None:
                    target = TABLE_OF[field.related_model].name
                    errors[field.name] = [f"refers to {target} id {raw!r}, which is not earlier in the file"]
                values[field.attname] = mapped
            else:
                try:
                    values[field.attname] = field.to_python(raw)
                except ValidationError as exc:
                    errors[field.name] = exc.messages
        record = model(**values)
        if not errors:
            try:
                record.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors = exc.message_dict
        if errors:
            detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
            raise ImportRefused(f"{where}: {detail}")
        return record

    def _checked_ids(self, where: str, row: dict) -> dict:
        """A precedent check names the decisions it showed, and their cases, by id inside its
        JSON: they follow the ids this import gives them."""
        decisions, cases = self.ids[Decision], self.ids[Case]
        shown, answers = row.get("shown"), row.get("answers")
        lists = ("uncited", "contrary", "warnings")
        if not isinstance(shown, dict) or not isinstance(answers, dict):
            raise ImportRefused(f"{where}: shown and answers must be objects.")
        try:
            shown = {
                **shown,
                **{
                    key: [
                        {**item, "decision": decisions[item["decision"]], "case": cases[item["case"]]}
                        for item in shown.get(key, [])
                    ]
                    for key in lists
                },
            }
            answers = {str(decisions[int(pk)]): text for pk, text in answers.items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise ImportRefused(f"{where}: names a decision or case not earlier in the file ({exc}).") from None
        return {**row, "shown": shown, "answers": answers}

    def _map_ids(self, where: str, field, ids) -> list:
        if not isinstance(ids, list):
            raise ImportRefused(f"{where}: {field.name} must be a list of ids.")
        known = self.ids[field.related_model]
        wrong = [i for i in ids if i not in known]
        if wrong:
            raise ImportRefused(f"{where}: {field.name} refers to ids not earlier in the file: {wrong}.")
        return [known[i] for i in ids]

    def _roles(self, where: str, names) -> list[Group]:
        if not isinstance(names, list) or any(name not in self.roles for name in names):
            raise ImportRefused(f"{where}: roles must be a list of {', '.join(Role.values)}.")
        return [self.roles[name] for name in names]

    def _existing(self, table: Table, record: models.Model) -> models.Model | None:
        if not table.key:
            return None
        match = table.model._base_manager.filter(**{name: getattr(record, name) for name in table.key}).first()
        if (
            table.model is Case
            and match is None
            and record.docket
            and Case.objects.filter(docket=record.docket).exists()
        ):
            raise ImportRefused(
                f"Docket {record.docket} is a different case here: the two casebooks numbered their "
                "cases independently and cannot be merged."
            )
        if table.model is Revision and match is None:
            raise ImportRefused(
                f"The file's framework has revision {record.number}, which this casebook lacks: "
                "publish it here first, or import into an empty database."
            )
        return match

    def _reconcile(self, where: str, model, record, existing) -> None:
        """A record both here and in the file: the one here stands, unless the two cannot
        both be true."""
        if model is ProvisionText and (record.title, record.body) != (existing.title, existing.body):
            raise ImportRefused(f"{where}: {existing} is worded differently here; the frameworks disagree.")
        if model is DocketCounter and record.last > existing.last:
            # Docket numbers issued there must never be issued again here.
            DocketCounter.objects.filter(pk=existing.pk).update(last=record.last)

    def _chain(self, record: AuditEvent) -> AuditEvent:
        """An entry of the merged log, chained onto this one, naming its records by their ids here."""
        object_id = record.object_id
        if record.object_type and object_id.isdigit():
            model = audit.model_named(record.object_type)
            mapped = self.ids.get(model, {})
            object_id = str(mapped.get(int(object_id), object_id))
        fields = {
            name: getattr(record, name)
            for name in ("at", "actor_id", "actor_username", "action", "object_type", "object_repr", "before", "after")
        }
        return audit.append(**fields, object_id=object_id, request_id=record.request_id)

    def finish(self, source: str) -> None:
        if not self.merge:
            if connection.vendor == "postgresql":
                # Ids were given, not drawn: move each sequence past the highest.
                statements = connection.ops.sequence_reset_sql(no_style(), [table.model for table in TABLES])
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            # A restored log has no anchor here yet; one it contradicts still fails it.
            checked, broken = audit.verify(anchored=False)
            if broken:
                raise ImportRefused(
                    f"The file's audit log does not verify under this installation's AUDIT_KEY: entry "
                    f"#{broken.event_id}: {broken.reason}. Set AUDIT_KEY to the exporting installation's key."
                )
        search.rebuild()
        action = "casebook.merged" if self.merge else "casebook.imported"
        audit.record(action, actor=None, object_repr=source[:200], after={"source": source, "added": self.added})
        if not self.merge:
            transaction.on_commit(audit.anchor_at_end, robust=True)  # the restored log, anchored here
