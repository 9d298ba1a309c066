"""The arrays that similar past decisions ranks over: every case's facts, tags and
embedding (when the [semantic] extra is on) as columns, a row for each case, with what each
feature is worth (precedent.search.features). Scoring a draft against 100,000 cases is
then a few array operations, not a scan in SQL.

The indexer writes them. Whoever applies the change feed (precedent.search.feed), under
the engine's writer lock, rewrites the rows of the cases it applies, in files beside the
engine's index in its generation's directory (`similarity/`); a rebuild makes them afresh
with its new generation, and so does the first sync after a framework revision changed
the tag columns (until then, readers rank on the columns as they were). Readers never
write. Every process memory-maps those files, so a new worker answers its first similar
request at warm speed, and the workers of a host share one copy, in the page cache.
`similarity/meta.json` says how many rows are written, the tag columns, the weights of
the features and a version that each write changes; a reader looks at it before each use.
A row being rewritten may be read half old, half new for a moment: the rows only rank,
and what is shown is read from the database again.

The columns have room for more rows than are written (`capacity`), so a new case is
written in place; when they are full they are copied into larger files, and readers move
over at their next use (a process still reading the old ones keeps them until it lets go).

Need-to-know is applied to the arrays before anything is ranked."""

import json
import os
import shutil
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.lib.format import open_memmap

from casebook import visibility
from casebook.choices import STANCES_BY_KIND
from casebook.models import Case, CaseData, Tag, User
from precedent.models import CaseEmbedding, SearchEntry
from precedent.search import engine, features
from principles.models import Provision

DIMENSIONS = 384
FIRST_CAPACITY = 1024
BATCH = 2000


def _columns(stances: list[tuple[str, str]]) -> dict[str, tuple[type, int | None]]:
    """Each column's type and width (None: one value a row). The columns of several values
    are stored column by column (Fortran order), as the signals read them."""
    return {
        "case_ids": (np.int64, None),
        "entry_ids": (np.int64, None),  # 0: no decision in force
        "open_to_all": (np.bool_, None),
        "partner": (np.int64, None),
        "facts": (np.int8, len(features.CODES)),
        "data": (np.bool_, len(features.CATEGORIES)),
        "tags": (np.bool_, len(stances)),
        "has_lean": (np.bool_, len(features.leans_of(stances))),
        "has_provision": (np.bool_, len(features.provisions_of(stances))),
        "vectors": (np.float32, DIMENSIONS),
        "embedded": (np.bool_, None),
        "tag_norms": (np.float32, None),
        "fact_norms": (np.float32, None),
    }


def _stances() -> list[tuple[str, str]]:
    """The tag columns: each stance on each provision, in the framework's order."""
    return [
        (code, stance)
        for code, kind in Provision.objects.order_by("position", "id").values_list("code", "kind")
        for stance in STANCES_BY_KIND[kind]
    ]


@dataclass
class Index:
    """One process's view of the arrays: each column as written, `rows` long."""

    path: Path
    layout: str
    version: int
    stances: list[tuple[str, str]]
    files: dict[str, np.ndarray]
    rows: int = 0
    row_of: dict[int, int] = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    case_ids: np.ndarray = field(init=False)
    entry_ids: np.ndarray = field(init=False)
    open_to_all: np.ndarray = field(init=False)
    partner: np.ndarray = field(init=False)
    facts: np.ndarray = field(init=False)
    data: np.ndarray = field(init=False)
    tags: np.ndarray = field(init=False)
    has_lean: np.ndarray = field(init=False)
    has_provision: np.ndarray = field(init=False)
    vectors: np.ndarray = field(init=False)
    embedded: np.ndarray = field(init=False)
    tag_norms: np.ndarray = field(init=False)
    fact_norms: np.ndarray = field(init=False)

    def advance(self, meta: dict) -> None:
        """Take in what the writer has written since (on a view no other thread holds yet)."""
        rows = meta["rows"]
        self.row_of.update(zip(self.files["case_ids"][self.rows : rows].tolist(), range(self.rows, rows), strict=True))
        self.rows, self.version = rows, meta["version"]
        self.weights = {
            name: np.array(meta[name], np.float32) for name in ("stance_idf", "lean_idf", "provision_idf", "data_idf")
        }
        self.weights["fact_idf"] = [np.array(w, np.float32) for w in meta["fact_idf"]]
        for name, values in self.files.items():
            # Plain arrays over the mapped files: a memmap's every slice is a memmap again,
            # which costs several microseconds each, and the signals take thousands.
            setattr(self, name, np.asarray(values[: self.rows]))

    def advanced(self, meta: dict) -> "Index":
        """A new view, with what the writer has written since: a request still ranking on
        this one keeps it as it was."""
        view = Index(self.path, self.layout, self.version, self.stances, self.files, self.rows, dict(self.row_of))
        view.advance(meta)
        return view

    @property
    def leans(self) -> list[tuple[str, str]]:
        return features.leans_of(self.stances)

    @property
    def provisions(self) -> list[str]:
        return features.provisions_of(self.stances)

    @property
    def column(self) -> dict[tuple[str, str], int]:
        return {stance: n for n, stance in enumerate(self.stances)}


_index: Index | None = None
_lock = threading.Lock()


def reset() -> None:
    """Forget this process's view (the tests do, as each test starts a new index)."""
    global _index
    with _lock:
        _index = None


def current() -> Index:
    """This process's view of the arrays as last written. Readers never write them: a
    caller brings them up to date first (feed.sync, through retrieval.fresh), which also
    writes them when there are none yet. Until then there are no rows."""
    global _index
    with _lock:
        try:
            _index = _view(_index)
        except FileNotFoundError:
            # The writer moved the rows to larger files, or a rebuild to a new generation,
            # between meta.json and the files: meta.json, read again, names the new ones.
            _index = _view(_index)
        return _index


def _view(index: Index | None) -> Index:
    generation = engine.generation_path()
    meta = _meta(generation / "similarity") if generation else None
    if meta is None:
        return _empty()
    path = generation / "similarity"
    if index is None or index.path != path or index.layout != meta["layout"]:
        return _opened(path, meta)
    return index.advanced(meta) if index.version != meta["version"] else index


def written(generation: Path) -> bool:
    return _meta(generation / "similarity") is not None


def _empty() -> Index:
    columns = {
        name: np.zeros(0 if width is None else (0, width), dtype) for name, (dtype, width) in _columns([]).items()
    }
    weights, _, _ = features.weigh(columns, [])
    index = Index(Path(), "", -1, [], columns)
    index.advance({**weights, "rows": 0, "version": -1})
    return index


def _opened(path: Path, meta: dict) -> Index:
    stances = _stances_of(meta)
    index = Index(path, meta["layout"], -1, stances, _files(path / meta["layout"], stances, "r"))
    index.advance(meta)
    return index


def _stances_of(meta: dict) -> list[tuple[str, str]]:
    return [tuple(stance) for stance in meta["stances"]]


def _meta(path: Path) -> dict | None:
    """What meta.json says; None when there is none, or none whole (the writer replaces it
    whole, so only a crash could leave one half written: the next sync writes afresh)."""
    try:
        return json.loads((path / "meta.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


# Writing: under the engine's writer lock (precedent.search.engine.writing) ---------------


def write(generation: Path, case_ids: Collection[int] | None) -> None:
    """Rewrite the rows of these cases (None: every case, afresh) in the arrays of the
    engine's generation at `generation`, as the database has them now."""
    path = generation / "similarity"
    meta = _meta(path)
    now = _stances()
    if case_ids is None or meta is None or _stances_of(meta) != now:
        _write_all(path, now)
        return
    if not case_ids:
        return
    files = _files(path / meta["layout"], now, "r+")
    rows = meta["rows"]
    case_ids = sorted(set(case_ids))
    known = np.flatnonzero(np.isin(files["case_ids"][:rows], case_ids))
    row_of = {int(files["case_ids"][n]): int(n) for n in known}
    new = [case_id for case_id in case_ids if case_id not in row_of]
    new = list(Case.objects.filter(pk__in=new).order_by("pk").values_list("pk", flat=True)) if new else []
    if new:
        if rows + len(new) > len(files["case_ids"]):
            meta["layout"] = _grown(path, meta["layout"], files, rows, now, rows + len(new))
            files = _files(path / meta["layout"], now, "r+")
        row_of.update({case_id: rows + n for n, case_id in enumerate(new)})
        rows += len(new)
    if row_of:
        cases = list(row_of)
        read = _read(cases, now)
        at = np.array([row_of[case_id] for case_id in cases])
        for name, values in read.items():
            files[name][at] = values
    _finish(path, meta, files, rows, now)


def _write_all(path: Path, stances: list[tuple[str, str]]) -> None:
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    layout = _layout(path, max(FIRST_CAPACITY, 2 * len(case_ids)), stances)
    files = _files(path / layout, stances, "r+")
    for start in range(0, len(case_ids), BATCH):
        chunk = case_ids[start : start + BATCH]
        for name, values in _read(chunk, stances).items():
            files[name][start : start + len(chunk)] = values
    old = _meta(path)
    _finish(path, {"layout": layout, "version": old["version"] if old else 0}, files, len(case_ids), stances)


def _layout(path: Path, capacity: int, stances: list[tuple[str, str]]) -> str:
    """New, empty columns with room for `capacity` rows; their directory's name."""
    name = f"c{capacity}-{time.time_ns()}"
    (path / name).mkdir(parents=True)
    for column, (dtype, width) in _columns(stances).items():
        shape = (capacity,) if width is None else (capacity, width)
        open_memmap(path / name / f"{column}.npy", "w+", dtype, shape, fortran_order=width is not None)
    return name


def _files(layout: Path, stances: list[tuple[str, str]], mode: str) -> dict[str, np.ndarray]:
    return {name: np.load(layout / f"{name}.npy", mmap_mode=mode) for name in _columns(stances)}


def _grown(path: Path, layout: str, files: dict, rows: int, stances: list[tuple[str, str]], needed: int) -> str:
    grown = _layout(path, max(2 * len(files["case_ids"]), needed), stances)
    for name, values in _files(path / grown, stances, "r+").items():
        values[:rows] = files[name][:rows]
        values.flush()
    return grown


def _finish(path: Path, meta: dict, files: dict, rows: int, stances: list[tuple[str, str]]) -> None:
    """The features' weights worked out again over every row, the files flushed, and
    meta.json replaced, so that readers take the rows in; other layouts deleted."""
    filled = {name: values[:rows] for name, values in files.items()}
    weights, tag_norms, fact_norms = features.weigh(filled, stances)
    filled["tag_norms"][:], filled["fact_norms"][:] = tag_norms, fact_norms
    for values in files.values():
        values.flush()
    meta = {
        **weights,
        "layout": meta["layout"],
        "rows": rows,
        "version": meta["version"] + 1,
        "stances": stances,
    }
    new = path / "meta.json.new"
    with open(new, "w") as handle:
        handle.write(json.dumps(meta))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(new, path / "meta.json")
    for other in path.iterdir():
        if other.is_dir() and other.name != meta["layout"]:
            shutil.rmtree(other, ignore_errors=True)


def _read(case_ids: list[int], stances: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """These cases' rows, as the database has them (a case gone: a row of nothing)."""
    n, position = len(case_ids), {case_id: i for i, case_id in enumerate(case_ids)}
    columns = _columns(stances)
    rows = {
        name: np.zeros(n if width is None else (n, width), dtype)
        for name, (dtype, width) in columns.items()
        if name not in ("has_lean", "has_provision", "tag_norms", "fact_norms")
    }
    rows["case_ids"][:] = case_ids
    entries = SearchEntry.objects.filter(case_id__in=case_ids, superseded_at__isnull=True, decision__isnull=False)
    for case_id, entry_id in entries.order_by().values_list("case_id", "pk"):
        rows["entry_ids"][position[case_id]] = entry_id
    cases = Case.objects.filter(pk__in=case_ids).values_list(
        "pk",
        "restricted",
        "submitted_at",
        "partner_id",
        *features.CODES,
    )
    for pk, restricted, submitted_at, partner, *facts in cases:
        i = position[pk]
        rows["open_to_all"][i] = visibility.is_open_to_all(restricted=restricted, submitted=submitted_at is not None)
        rows["partner"][i] = partner
        rows["facts"][i] = [features.code_of(kind, value) for kind, value in zip(features.CODES, facts, strict=True)]
    for case_id, category in CaseData.objects.filter(case_id__in=case_ids).values_list("case_id", "category"):
        rows["data"][position[case_id], features.CATEGORIES.index(category)] = True
    column = {stance: n for n, stance in enumerate(stances)}
    for case_id, code, stance in Tag.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "provision__code", "stance"
    ):
        if (code, stance) in column:
            rows["tags"][position[case_id], column[(code, stance)]] = True
    rows["has_lean"], rows["has_provision"] = features.derived(rows["tags"], stances)
    for case_id, vector in CaseEmbedding.objects.filter(case_id__in=case_ids).values_list("case_id", "vector"):
        rows["vectors"][position[case_id]] = np.frombuffer(bytes(vector), dtype=np.float32)
        rows["embedded"][position[case_id]] = True
    return rows


def differences(generation: Path, waiting: Collection[int]) -> list[int]:
    """The cases whose rows differ from the database (or are not written at all), but for
    the `waiting` ones, whose changes the next sync applies."""
    meta = _meta(generation / "similarity")
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    now = _stances()
    if meta is None or _stances_of(meta) != now:
        return [case_id for case_id in case_ids if case_id not in waiting]
    files = _files(generation / "similarity" / meta["layout"], now, "r")
    row_of = {int(case_id): n for n, case_id in enumerate(files["case_ids"][: meta["rows"]])}
    everyone = sorted((set(case_ids) | set(row_of)) - set(waiting))
    differ = []
    for start in range(0, len(everyone), BATCH):
        chunk = everyone[start : start + BATCH]
        read = _read(chunk, now)
        for i, case_id in enumerate(chunk):
            row = row_of.get(case_id)
            if row is None or any(not np.array_equal(files[name][row], values[i]) for name, values in read.items()):
                differ.append(case_id)
    return differ


# Need-to-know ---------------------------------------------------------------------------


def visible(index: Index, user: User, *, involved: Collection[int] | None = None) -> np.ndarray:
    """The rows of the cases `user` may see: need-to-know (casebook.visibility) as a mask.
    A caller that has just read the user's involved case ids passes them."""
    if visibility.sees_nothing(user):
        return np.zeros(index.rows, bool)
    if visibility.sees_everything(user):
        return np.ones(index.rows, bool)
    if involved is None:
        involved = visibility.involved_ids(user)
    return index.open_to_all | np.isin(index.case_ids, np.array(list(involved), np.int64))


def allowed(
    index: Index, user: User, *, exclude_case: int | None, involved: Collection[int] | None = None
) -> np.ndarray:
    """The rows a similar-decisions list may offer `user`: decided, in force, not the case
    itself, and within need-to-know."""
    mask = (index.entry_ids > 0) & visible(index, user, involved=involved)
    if exclude_case:
        mask &= index.case_ids != exclude_case
    return mask
