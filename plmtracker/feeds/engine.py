"""The import pipeline every tabular feed shares.

A feed file streams through in batches. For each batch: parse the cells,
resolve codes to ids (one query for the batch's item codes not cached yet;
UOMs and locations are small tables read once), drop keys already seen in the
file, find which of the batch's keys exist (one query; their rows are read only
when some do), and sort each row into created, updated or unchanged. Updates
are one upsert statement per batch where the database has one, a bulk UPDATE
elsewhere; new rows go in through `Inserts` (a COPY left open on PostgreSQL
while the next batch is parsed, `plmtracker.ops.bulk.insert_rows` elsewhere).

The whole file is one transaction. By default a file with any bad row writes
nothing: writing stops at the first bad row, the rest is still checked so
every problem is reported, and the transaction is rolled back.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

from plmtracker import changes
from plmtracker.feeds.cells import CellError, Parser
from plmtracker.feeds.inserts import Inserts
from plmtracker.feeds.readers import FeedError, Table
from plmtracker.ops.bulk import batched
from plmtracker.web.tabular import unescape_cell

BATCH_SIZE = 5000
MAX_ERRORS_KEPT = 1000  # a file of bad rows must not fill the memory with messages


@dataclass(frozen=True)
class Column:
    """A column of a feed file and how its cells become a value.

    `field` is the attname written on the feed's own table (None: the value
    is used otherwise). `ref` names the `Lookup` a code in the cell goes
    through ("item", "uom", "location": the inventory's); the value becomes
    the id of the row the code names.
    """

    name: str
    parse: Parser
    field: str | None = None
    required: bool = True  # the header must have it
    blank: bool = False  # an empty cell is allowed and stands for `default`
    default: Any = None
    ref: str | None = None


def optional(name: str, parse: Parser, field: str | None = None, **kwargs: Any) -> Column:
    """A column the file may leave out (its rows keep what they had) or leave empty (null)."""
    return Column(name, parse, field, required=False, **{"blank": True, **kwargs})


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Outcome:
    """What happened to one row (kept for previews only)."""

    line: int
    action: str  # new, update, skip
    cells: dict[str, Any]


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    skip_invalid: bool = False
    max_rows: int | None = None  # a larger row limit than the feed's own (import_data links)
    rows: int = 0  # data rows read
    counts: Counts = field(default_factory=Counts)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    bad_lines: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    related: dict[str, Counts] = field(default_factory=dict)  # e.g. the location rows item_locations upserts
    written: bool = False
    outcomes: list[Outcome] | None = None
    links: Any = None  # collector.services.BulkLinkResult for the links feed
    item_codes: dict[int, str] = field(default_factory=dict)  # item id -> code, for link previews
    changed_items: set[int] = field(default_factory=set)  # items whose rows the import wrote (plmtracker.changes)

    @property
    def created(self) -> int:
        return self.counts.created

    @property
    def updated(self) -> int:
        return self.counts.updated

    @property
    def unchanged(self) -> int:
        return self.counts.unchanged

    @property
    def skipped(self) -> int:
        """Rows not written because they are bad."""
        return len(self.bad_lines)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        self.bad_lines.add(line)
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(RowError(line, column, message))

    def extend(self, errors: Iterable[tuple[int, str, str]]) -> None:
        for line, column, message in errors:
            self.error(line, column, message)

    @property
    def may_write(self) -> bool:
        return not self.dry_run and (self.skip_invalid or self.error_count == 0)


@dataclass(slots=True)
class Row:
    line: int
    values: dict[str, Any]
    cells: dict[str, Any] | None = None  # what the file said, for previews
    bad: bool = False


@dataclass
class Layout:
    """Where each known column is in the file's header."""

    present: list[tuple[int, Column]]
    width: int

    @property
    def names(self) -> set[str]:
        return {c.name for _, c in self.present}


def _dense_range(values: list) -> tuple[int, int] | tuple[None, None]:
    """The bounds of whole numbers that fill most of their range, else (None, None)."""
    if len(values) < 100 or values[0].__class__ is not int:
        return None, None
    low, high = min(values), max(values)
    return (low, high) if high - low < 2 * len(values) else (None, None)


def normalise_header(name: Any) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")


def in_chunks(values: Sequence, size: int | None) -> Iterator[Sequence]:
    if not size or len(values) <= size:
        yield values
        return
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lookup_chunk(params_per_value: int = 1) -> int | None:
    """How many values one IN (...) may list: SQL Server takes at most 2,100 parameters."""
    return 2000 // params_per_value if connection.vendor == "microsoft" else None


class Lookup(ABC):
    """Codes of one kind in a feed's cells to the ids of the rows they name, for the length of one import.

    An app registers each kind it owns (`register_lookup`, from its AppConfig.ready):
    the inventory registers "item", "uom" and "location" (`plmtracker.inventory.feeds`).
    """

    missing = "nothing has the code {code}"  # the row error for a code that names no row

    @abstractmethod
    def find(self, codes: set[Any]) -> dict[Any, Any]:
        """{code: id} for the codes that name a row; codes that name none are left out."""


LOOKUPS: dict[str, type[Lookup]] = {}


def register_lookup(ref: str, lookup: type[Lookup]) -> None:
    """Make `ref` usable as a Column's `ref`; a ref belongs to one app."""
    known = LOOKUPS.setdefault(ref, lookup)
    if known is not lookup:
        raise ImproperlyConfigured(
            f"Feed lookup {ref!r} is registered by both {known.__module__} and {lookup.__module__}."
        )


class References:
    """The state of one import: the lookups of codes to ids (each made once, with its caches),
    the insert stream, and what a feed keeps for itself."""

    def __init__(self) -> None:
        self.inserts = Inserts()
        self._lookups: dict[str, Lookup] = {}
        self.memo: dict[str, Any] = {}  # a feed's own state for the length of one import

    def lookup(self, ref: str) -> Lookup:
        found = self._lookups.get(ref)
        if found is None:
            try:
                found = self._lookups[ref] = LOOKUPS[ref]()
            except KeyError:
                raise ImproperlyConfigured(f"No feed lookup {ref!r} is registered.") from None
        return found


class Feed:
    """One kind of feed file: its columns, natural key and table."""

    kind: str = ""
    model: type[models.Model]
    columns: list[Column] = []
    key: tuple[str, ...] = ()  # column names of the natural key
    touch_field: str | None = None  # set to now() on rows an import changes
    summary: str = ""

    # -- the file's header -------------------------------------------------
    def layout(self, header: Sequence[Any], result: ImportResult) -> Layout:
        names = [normalise_header(h) for h in header]
        known = {c.name: c for c in self.columns}
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if not name:
                continue
            if name in seen:
                raise FeedError(
                    f"The header names the column {name!r} twice (columns {seen[name] + 1} and {index + 1})."
                )
            seen[name] = index
        missing = [c.name for c in self.columns if c.required and c.name not in seen]
        if missing:
            raise FeedError(
                f"The {self.kind} file is missing the column{'s' * (len(missing) > 1)} {', '.join(missing)}. "
                f"Its header has: {', '.join(n for n in names if n) or 'nothing'}. "
                f"Expected columns: {', '.join(c.name for c in self.columns)}."
            )
        extra = [n for n in names if n and n not in known]
        if extra:
            result.warnings.append(
                f"Ignored column{'s' * (len(extra) > 1)} not in the {self.kind} feed: {', '.join(extra)}."
            )
        present = [(seen[c.name], c) for c in self.columns if c.name in seen]
        return Layout(present=present, width=len(names))

    # -- one import --------------------------------------------------------
    def run(
        self,
        table: Table,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        user=None,
        progress: Callable[[int], None] | None = None,
        keep_rows: bool = False,
        max_rows: int | None = None,
    ) -> ImportResult:
        """Import the table in one transaction, rolled back for a dry run or a file with bad rows.

        `max_rows` overrides the feed's own row limit where it has one (the links feed's).
        """
        result = ImportResult(kind=self.kind, dry_run=dry_run, skip_invalid=skip_invalid, max_rows=max_rows)
        result.warnings.extend(table.notes)
        if keep_rows:
            result.outcomes = []
        layout = self.layout(table.header, result)
        with transaction.atomic():
            self.load(table, layout, result, user=user, progress=progress)
            if result.rows == 0:
                raise FeedError("The file has a header row but no data rows: there is nothing to import.")
            result.errors.sort(key=lambda e: e.line)
            if result.may_write:
                self.finish(result, user=user)
                result.written = True
                changes.items_changed(result.changed_items)
            else:
                transaction.set_rollback(True)
        return result

    def row_limit(self) -> int | None:
        """The most data rows one file of this kind may hold, where the feed has a limit of its own."""
        return None

    def check_size(self, rows: int, result: ImportResult) -> None:
        """Refuse (FeedError) a file of more data rows than the feed takes; most feeds take any number."""

    def load(self, table: Table, layout: Layout, result: ImportResult, *, user, progress) -> None:
        """Stream the rows through in batches: parse, resolve, dedupe, check, upsert."""
        refs = References()
        seen: dict[Any, int] = {}
        # A batch's new rows are still going in (PostgreSQL) while the next one is parsed.
        with refs.inserts.session():
            for count, rows, errors in self.parsed_batches(table, layout, keep=result.outcomes is not None):
                result.rows += count
                result.extend(errors)
                rows = self.resolve(rows, layout, refs, result)
                rows = self.dedupe(rows, seen, result)
                rows = self.check_batch(rows, refs, result)
                self.apply(rows, layout, refs, result, user=user)
                if progress:
                    progress(count)

    def parsed_batches(self, table: Table, layout: Layout, *, keep: bool) -> Iterator[tuple[int, list[Row], list]]:
        """(rows read, parsed rows, cell errors) per batch of the file."""
        for batch in batched(table.rows, BATCH_SIZE):
            yield (len(batch), *self.parse(batch, layout, keep))

    def parse(self, batch: list[tuple[int, list[Any]]], layout: Layout, keep: bool) -> tuple[list[Row], list]:
        """Every row of the batch with its parsed values (bad ones marked), and the cell errors."""
        rows = []
        errors: list[tuple[int, str, str]] = []
        specs = [(i, c.name, c.parse, c.blank, c.default) for i, c in layout.present]
        width = layout.width
        check = self.check_row

        def error(line: int, column: str, message: str) -> None:
            errors.append((line, column, message))

        for line, cells in batch:
            values: dict[str, Any] = {}
            good = True
            count = len(cells)
            for index, name, parse, blank, default in specs:
                raw = cells[index] if index < count else None
                if raw is None or (raw.__class__ is str and not (raw := raw.strip())):
                    if blank:
                        values[name] = default
                    else:
                        error(line, name, "is empty; a value is required")
                        good = False
                    continue
                if raw.__class__ is str and raw[0] == "'":
                    raw = unescape_cell(raw)  # the export's guard against formulas
                try:
                    values[name] = parse(raw)
                except CellError as exc:
                    error(line, name, exc.message)
                    good = False
            if count > width and any(c not in (None, "") for c in cells[width:]):
                error(line, "", f"has {count} cells but the header has {width} columns (a stray delimiter?)")
                good = False
            if good:
                for column_name, message in check(values):
                    error(line, column_name, message)
                    good = False
            shown = {name: cells[i] if i < count else None for i, name, *_ in specs} if keep else None
            rows.append(Row(line, values, shown, not good))
        return rows, errors

    def check_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """Rules across columns of one row: (column, reason) for each broken one."""
        return []

    def resolve(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult) -> list[Row]:
        """Codes to ids; report unknown codes (bad rows too, so each row's problems come at once)."""
        ref_columns = [c for _, c in layout.present if c.ref]
        if ref_columns and rows:
            # One lookup per kind of code for the whole batch (bad rows' codes included).
            found: dict[str, dict[Any, Any]] = {}
            for ref in dict.fromkeys(c.ref for c in ref_columns):
                names = [c.name for c in ref_columns if c.ref == ref]
                codes = {r.values.get(name) for r in rows for name in names} - {None}
                found[ref] = refs.lookup(ref).find(codes) if codes else {}
            for row in rows:
                for column in ref_columns:
                    code = row.values.get(column.name)
                    if code is None:
                        continue
                    target = found[column.ref].get(code)
                    if target is None:
                        result.error(row.line, column.name, refs.lookup(column.ref).missing.format(code=repr(code)))
                        row.bad = True
                    else:
                        row.values[column.name] = target
        return [row for row in rows if not row.bad]

    def key_of(self, values: dict[str, Any]) -> Any:
        if len(self.key) == 1:
            return values[self.key[0]]
        return tuple(values[k] for k in self.key)

    def dedupe(self, rows: list[Row], seen: dict[Any, int], result: ImportResult) -> list[Row]:
        kept = []
        for row in rows:
            key = self.key_of(row.values)
            first = seen.get(key)
            if first is None:
                seen[key] = row.line
                kept.append(row)
            else:
                result.error(row.line, ", ".join(self.key), f"same {' and '.join(self.key)} as line {first}")
        return kept

    def check_batch(self, rows: list[Row], refs: References, result: ImportResult) -> list[Row]:
        """Rules across rows of the file (beyond duplicate keys)."""
        return rows

    # -- writing -----------------------------------------------------------
    def fields(self, layout: Layout) -> list[tuple[str, str]]:
        """(column name, attname) of the columns this file writes, key first."""
        present = layout.names
        keyed = [c for c in self.columns if c.name in self.key]
        rest = [c for c in self.columns if c.name not in self.key and c.field and c.name in present]
        return [(c.name, c.field) for c in keyed + rest]

    def apply(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult, *, user=None) -> None:
        if not rows:
            return
        written = self.fields(layout)
        record_of = itemgetter(*[name for name, _ in written])
        records = [record_of(row.values) for row in rows]
        if len(written) == 1:
            records = [(r,) for r in records]
        actions = self.upsert(records, [attname for _, attname in written], result, refs.inserts)
        if result.outcomes is not None:
            pairs = zip(rows, actions, strict=True)
            result.outcomes.extend(Outcome(row.line, action, row.cells or {}) for row, action in pairs)

    def upsert(
        self,
        records: list[tuple],
        attnames: list[str],
        result: ImportResult,
        inserts: Inserts,
        counts: Counts | None = None,
    ) -> list[str]:
        """Sort records into new, update and skip (unchanged); write them when the import may.

        Records are tuples in `attnames` order, the natural key first.
        Returns the action of each record, in order.
        """
        counts = counts if counts is not None else result.counts
        width = len(self.key)
        existing = self.existing([r[:width] for r in records], attnames)
        creates, updates, actions = [], [], []
        for record in records:
            key = record[0] if width == 1 else record[:width]
            found = existing.get(key)
            if found is None:
                creates.append(record)
                actions.append("new")
            elif found[1] != record[width:]:
                updates.append((found[0], record))
                actions.append("update")
            else:
                actions.append("skip")
        counts.created += len(creates)
        counts.updated += len(updates)
        counts.unchanged += len(records) - len(creates) - len(updates)
        if result.may_write:
            self.write(creates, updates, attnames, inserts)
            result.changed_items.update(self.items_of(creates, [record for _, record in updates], attnames, existing))
        return actions

    def items_of(
        self, creates: list[tuple], updates: list[tuple], attnames: list[str], existing: dict[Any, tuple[Any, tuple]]
    ) -> set[int]:
        """The items whose rows the new and updated records change: their item column, and for an update that
        moves a row to another item (a PO line) the item it had."""
        width = len(self.key)
        key_of = (lambda record: record[0]) if width == 1 else (lambda record: record[:width])
        if self.model._meta.pk.attname == "item_id":  # the item master: the row found is the item
            return {existing[key_of(record)][0] for record in updates}
        if "item_id" not in attnames:
            return set()
        at = attnames.index("item_id")
        ids = {record[at] for record in creates} | {record[at] for record in updates}
        if at >= width:
            ids |= {existing[key_of(record)][1][at - width] for record in updates}
        return ids

    def existing(self, keys: list[tuple], attnames: list[str]) -> dict[Any, tuple[Any, tuple]]:
        """{key: (pk, values of the other written fields)} for the keys that exist."""
        width = len(self.key)
        wanted = self.present_keys(keys, attnames[:width])
        if not wanted:
            return {}  # a batch of new rows: one cheap query, no values to convert
        pk = self.model._meta.pk.attname
        found: dict[Any, tuple[Any, tuple]] = {}
        key_attnames = attnames[:width]
        for chunk in in_chunks(sorted(wanted, key=repr), lookup_chunk(width)):
            filters = {f"{name}__in": {k[i] for k in chunk} for i, name in enumerate(key_attnames)}
            for values in self.model.objects.filter(**filters).values_list(pk, *attnames).order_by():
                key = values[1 : 1 + width]
                if key not in wanted:
                    continue  # the IN lists of a composite key select a superset
                found[key[0] if width == 1 else key] = (values[0], tuple(values[1 + width :]))
        return found

    def present_keys(self, keys: list[tuple], key_attnames: list[str]) -> set[tuple]:
        """Which of `keys` are in the table: raw SQL on the key columns, values as the database holds them."""
        opts = self.model._meta
        qn = connection.ops.quote_name
        columns = [opts.get_field(self._field_name(a)) for a in key_attnames]
        wanted = set(keys)
        # Per key column, the database's form of each value (dates are text on SQLite) and the way back.
        adapters = [self._adapter(f) for f in columns]
        back = [
            None if adapt is None else {adapt(v): v for v in {k[i] for k in wanted}} for i, adapt in enumerate(adapters)
        ]
        present: set[tuple] = set()
        select = ", ".join(qn(f.column) for f in columns)
        with connection.cursor() as cursor:
            for chunk in in_chunks(list(wanted), lookup_chunk(len(columns))):
                where, params = [], []
                for i, f in enumerate(columns):
                    adapt = adapters[i]
                    values = list({k[i] for k in chunk} if adapt is None else {adapt(k[i]) for k in chunk})
                    low, high = _dense_range(values)
                    if low is not None:
                        # Consecutive numbers (PO line ids): a range is cheaper than a list; the
                        # rows it finds besides the wanted ones are dropped below.
                        where.append(f"{qn(f.column)} BETWEEN %s AND %s")
                        params.extend((low, high))
                    elif connection.vendor == "postgresql":
                        where.append(f"{qn(f.column)} = ANY(%s)")
                        params.append(values)
                    else:
                        where.append(f"{qn(f.column)} IN ({', '.join(['%s'] * len(values))})")
                        params.extend(values)
                cursor.execute(f"SELECT {select} FROM {qn(opts.db_table)} WHERE {' AND '.join(where)}", params)
                found = cursor.fetchall()
                if any(b is not None for b in back):
                    found = [
                        tuple(v if b is None else b.get(v, v) for v, b in zip(row, back, strict=True)) for row in found
                    ]
                present.update(key for key in found if key in wanted)
        return present

    @staticmethod
    def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return None

    def write(
        self, creates: list[tuple], updates: list[tuple[Any, tuple]], attnames: list[str], inserts: Inserts
    ) -> None:
        """Updates first (a statement), then the new rows (which may stay in flight)."""
        self.update(updates, attnames)
        if creates:
            inserts.write(self.model._meta.db_table, attnames, self._adapt(creates, attnames))

    def update(self, updates: list[tuple[Any, tuple]], attnames: list[str]) -> None:
        if not updates:
            return
        now = timezone.now()
        changed = attnames[len(self.key) :]
        if self.touch_field:
            changed = [*changed, self.touch_field]
        objects = []
        for pk, record in updates:
            obj = self.model(**dict(zip(attnames, record, strict=True)))
            obj.pk = pk
            if self.touch_field:
                setattr(obj, self.touch_field, now)
            objects.append(obj)
        if connection.features.supports_update_conflicts_with_target:
            # One INSERT ... ON CONFLICT DO UPDATE per batch.
            self.model.objects.bulk_create(
                objects,
                update_conflicts=True,
                unique_fields=[self._field_name(a) for a in attnames[: len(self.key)]],
                update_fields=[self._field_name(a) for a in changed],
                batch_size=1000,
            )
        else:
            self.model.objects.bulk_update(objects, [self._field_name(a) for a in changed], batch_size=500)

    def _field_name(self, attname: str) -> str:
        return next(f.name for f in self.model._meta.concrete_fields if f.attname == attname)

    def _adapt(self, records: list[tuple], attnames: list[str]) -> list[tuple]:
        """Datetimes as the backend stores them (SQLite keeps naive UTC text)."""
        moments = [
            i
            for i, a in enumerate(attnames)
            if isinstance(self.model._meta.get_field(self._field_name(a)), models.DateTimeField)
        ]
        if not moments or connection.vendor == "postgresql":
            return records
        adapt = connection.ops.adapt_datetimefield_value
        return [tuple(adapt(v) if i in moments else v for i, v in enumerate(r)) for r in records]

    def finish(self, result: ImportResult, *, user=None) -> None:
        """Work after the last batch, when the import is being written."""
