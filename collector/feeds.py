"""The collector's feeds: links, groups and location plans; every write goes through collector.services
and collector.plans. `CollectorConfig.ready` registers them with the feed engine (`plmtracker.feeds`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from collector.models import GROUP_STATUSES, USE_UP_POLICIES, GroupLocationPlan, ItemGroup
from collector.plans import ImportedPlan, location_plans_upsert
from collector.services import GraphError, check_group_fields, group_update, links_add_bulk
from plmtracker.feeds import cells
from plmtracker.feeds.engine import (
    Column,
    Feed,
    ImportResult,
    Layout,
    Outcome,
    References,
    Row,
    in_chunks,
    lookup_chunk,
    optional,
)
from plmtracker.feeds.readers import FeedError, Table
from plmtracker.inventory.feeds import ITEM_CODE, LOCATION_NUMBER

# Every link of a file goes to the grouping service in one call (one transaction,
# which on SQLite holds the write lock throughout), so a file holds at most
# PLM_BULK_MAX_LINKS links (the bulk upload, its API and the admin import);
# `import_data links` may pass a larger limit (PLM_IMPORT_MAX_LINKS).


def max_links() -> int:
    """The most links one file may hold: the setting PLM_BULK_MAX_LINKS."""
    return settings.PLM_BULK_MAX_LINKS


class LinksFeed(Feed):
    """Links "item is replaced by replace", added in file order as if entered one by one."""

    kind = "links"
    model = ItemGroup  # links are written by collector.services only
    summary = "Links: item is replaced by replace (groups, merges and conflicts follow)."
    key = ("item", "replace")
    columns = [
        Column("item", ITEM_CODE, ref="item"),
        Column("replace", ITEM_CODE, ref="item"),
        optional("reason", cells.text(200)),
        # Replacement eaches per original each; an empty cell is 1. Without the column, ratios stay.
        optional("ratio", cells.decimal(18, 6, above=True), default=Decimal(1)),
    ]

    def row_limit(self) -> int | None:
        return max_links()

    def check_size(self, rows: int, result: ImportResult) -> None:
        """Refuse a file of more links than the limit (PLM_BULK_MAX_LINKS, or import_data's larger one)."""
        limit = result.max_rows or max_links()
        if rows > limit:
            raise FeedError(
                f"A links file takes at most {limit:,} links (they are added in one transaction); "
                "this one has more. Split it into smaller files, or have a data steward run "
                "`manage.py import_data links` on it."
            )

    def check_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        if values["item"] == values["replace"]:
            return [("replace", "is the same item as item; an item cannot replace itself")]
        return []

    def load(self, table: Table, layout: Layout, result: ImportResult, *, user, progress) -> None:
        """Read every row (a links file is one batch for the service), then add them in file order."""
        refs = References()
        seen: dict[Any, int] = {}
        codes: dict[int, str] = {}
        rows: list[Row] = []
        for count, parsed, errors in self.parsed_batches(table, layout, keep=result.outcomes is not None):
            result.rows += count
            self.check_size(result.rows, result)
            result.extend(errors)
            written = {r.line: (r.values.get("item"), r.values.get("replace")) for r in parsed}
            parsed = self.resolve(parsed, layout, refs, result)
            for row in parsed:
                codes[row.values["item"]], codes[row.values["replace"]] = written[row.line]
            rows.extend(self.dedupe(parsed, seen, result))
            if progress:
                progress(count)
        result.item_codes = codes
        with_ratio = "ratio" in layout.names
        good = self._replay(rows, result, codes, with_ratio)
        if result.may_write and good:
            pairs = [(r.values["item"], r.values["replace"], r.values.get("reason")) for r in good]
            result.links = links_add_bulk(
                pairs=pairs, user=user, source="import", ratios=self._ratios(good) if with_ratio else None
            )
        links = result.links
        result.counts.created = links.new_count if links else 0
        result.counts.updated = len(links.ratio_updates) if links else 0
        result.counts.unchanged = links.existing_count - result.counts.updated if links else 0

    @staticmethod
    def _ratios(rows: list[Row]) -> dict[tuple[int, int], Decimal]:
        return {(r.values["item"], r.values["replace"]): r.values.get("ratio") or Decimal(1) for r in rows}

    def _replay(self, rows: list[Row], result: ImportResult, codes: dict[int, str], with_ratio: bool) -> list[Row]:
        """Run the batch in memory (no writes) to find the links that reverse another; keep the rest."""
        if not rows:
            return []
        pairs = [(r.values["item"], r.values["replace"], r.values.get("reason")) for r in rows]
        preview = links_add_bulk(pairs=pairs, dry_run=True, ratios=self._ratios(rows) if with_ratio else None)
        re_rated = {(a, b) for a, b, *_ in preview.ratio_updates}
        line_of = {(r.values["item"], r.values["replace"]): r.line for r in rows}
        good = []
        for row, outcome in zip(rows, preview.outcomes, strict=True):
            if outcome.status == "reverse":
                a, b = outcome.item_id, outcome.replace_id
                earlier = line_of.get((b, a))
                where = f"line {earlier} links" if earlier and earlier < row.line else "a link already records"
                result.error(
                    row.line,
                    "replace",
                    f"is the reverse of a link: {where} {codes[b]} replaced by {codes[a]}, "
                    "so each item would replace the other",
                )
                continue
            good.append(row)
            if result.outcomes is not None:
                pair = (outcome.item_id, outcome.replace_id)
                action = "new" if outcome.status == "new" else "update" if pair in re_rated else "skip"
                result.outcomes.append(Outcome(row.line, action, row.cells or {}))
        # What the good rows would do, for previews (the reverse ones are not written anyway).
        result.links = preview
        return good


class GroupsFeed(Feed):
    """Group status, reason, owner and dates; groups themselves are made by links."""

    kind = "groups"
    model = ItemGroup
    summary = "Conversion groups: status, reason, owner (email), dates, name and use-up policy of existing groups."
    key = ("group_id",)
    columns = [
        Column("group_id", cells.integer_for(ItemGroup._meta.pk, minimum=1), field="group_id"),
        Column("status", cells.choice([c for c, _ in GROUP_STATUSES], "group status"), field="status", required=False),
        optional("reason", cells.text(ItemGroup._meta.get_field("reason").max_length), "reason"),
        optional("owner", cells.text(255), "owner_id"),  # the owner's email; empty: no owner
        optional("start_date", cells.day, "start_date"),
        optional("end_date", cells.day, "end_date"),
        optional("name", cells.text(ItemGroup._meta.get_field("name").max_length), "name"),
        optional(
            "use_up_policy",
            cells.choice([c for c, _ in USE_UP_POLICIES], "use-up policy"),
            "use_up_policy",
            default="use_up",  # an empty cell: the default policy
        ),
        optional("last_order_date", cells.day, "last_order_date"),
    ]
    change_names = {"owner_id": "owner"}

    def check_row(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        start, end, last = values.get("start_date"), values.get("end_date"), values.get("last_order_date")
        if start and end and end < start:
            return [("end_date", f"is {end}, before the start date {start}")]
        if last and end and last > end:
            return [("last_order_date", f"is {last}, after the end date {end}")]
        return []

    def resolve(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult) -> list[Row]:
        if "owner" not in layout.names:
            return [row for row in rows if not row.bad]
        emails = {r.values["owner"].lower() for r in rows if r.values.get("owner")}
        users = refs.memo.setdefault("users", {})
        for chunk in in_chunks(sorted(emails - set(users)), lookup_chunk()):
            users.update({u.email.lower(): u for u in get_user_model().objects.filter(email__in=chunk)})
        kept = []
        for row in rows:
            email = row.values.get("owner")
            if email and email.lower() not in users:
                result.error(row.line, "owner", f"no user has the email {email!r}")
                continue
            if not row.bad:
                row.values["owner"] = users[email.lower()].pk if email else None
                kept.append(row)
        return kept

    def apply(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult, *, user=None) -> None:
        if not rows:
            return
        written = self.fields(layout)[1:]
        attnames = [a for _, a in written]
        current = {
            g["group_id"]: g
            for g in ItemGroup.objects.filter(pk__in=[r.values["group_id"] for r in rows]).values("group_id", *attnames)
        }
        users = {u.pk: u for u in refs.memo.get("users", {}).values()}
        for row in rows:
            group_id = row.values["group_id"]
            found = current.get(group_id)
            if found is None:
                result.error(
                    row.line,
                    "group_id",
                    f"no group {group_id} (groups are made by links; it may have been merged into another)",
                )
                continue
            changes = {
                self.change_names.get(attname, attname): row.values[name]
                for name, attname in written
                if found[attname] != row.values[name]
            }
            if not self._fits(row, found, changes, result):
                continue
            action = "update" if changes else "skip"
            if result.outcomes is not None:
                result.outcomes.append(Outcome(row.line, action, row.cells or {}))
            if not changes:
                result.counts.unchanged += 1
                continue
            if "owner" in changes:
                changes["owner"] = users.get(changes["owner"])
            if result.may_write:
                try:
                    group_update(group_id=group_id, user=user, change_reason="Imported from a groups file", **changes)
                except GraphError as exc:
                    result.error(row.line, "", exc.message)
                    continue
            result.counts.updated += 1

    @staticmethod
    def _fits(row: Row, found: dict[str, Any], changes: dict[str, Any], result: ImportResult) -> bool:
        """The group's dates and policy, with the row's changes, pass the plan rules; else a row error."""
        start = changes.get("start_date", found.get("start_date"))
        end = changes.get("end_date", found.get("end_date"))
        if start and end and end < start:
            result.error(row.line, "end_date", f"would end the group on {end}, before its start date {start}")
            return False
        dates = {f: changes.get(f, found.get(f)) for f in ("start_date", "end_date", "last_order_date")}
        try:
            check_group_fields(**dates)
        except GraphError as exc:
            result.error(row.line, "last_order_date", exc.message)
            return False
        return True


class LocationPlansFeed(Feed):
    """Go-live per group and location; written through collector.plans (audited per group)."""

    kind = "location_plans"
    model = GroupLocationPlan
    summary = "Go-live date (and note) of a group at a location; no date: the group's start date."
    key = ("group_id", "location_id")
    columns = [
        Column("group_id", cells.integer(minimum=1), field="group_id"),
        Column("location_id", LOCATION_NUMBER, field="location_id", ref="location"),
        Column("go_live_date", cells.day, field="go_live_date", blank=True),
        optional("note", cells.text(GroupLocationPlan._meta.get_field("note").max_length), "note"),
    ]

    def resolve(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult) -> list[Row]:
        """Locations as every feed; groups must exist (one query per batch)."""
        wanted = sorted({r.values["group_id"] for r in rows if r.values.get("group_id") is not None})
        known: set[int] = set()
        for chunk in in_chunks(wanted, lookup_chunk()):
            known.update(ItemGroup.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        for row in rows:
            group_id = row.values.get("group_id")
            if group_id is not None and group_id not in known:
                result.error(
                    row.line,
                    "group_id",
                    f"no group {group_id} (groups are made by links; it may have been merged into another)",
                )
                row.bad = True
        return super().resolve(rows, layout, refs, result)

    def apply(self, rows: list[Row], layout: Layout, refs: References, result: ImportResult, *, user=None) -> None:
        if not rows:
            return
        with_note = "note" in layout.names
        current = {}
        if not with_note:  # a file without notes keeps the notes there are
            current = {
                (g, loc): note
                for g, loc, note in GroupLocationPlan.objects.filter(
                    group_id__in={r.values["group_id"] for r in rows}
                ).values_list("group_id", "location_id", "note")
            }
        plans = [
            ImportedPlan(
                r.values["group_id"],
                r.values["location_id"],
                r.values.get("go_live_date"),
                (r.values.get("note") or None)
                if with_note
                else current.get((r.values["group_id"], r.values["location_id"])),
            )
            for r in rows
        ]
        actions = location_plans_upsert(plans=plans, user=user, write=result.may_write)
        result.counts.created += actions.count("new")
        result.counts.updated += actions.count("update")
        result.counts.unchanged += actions.count("skip")
        if result.outcomes is not None:
            result.outcomes.extend(
                Outcome(row.line, action, row.cells or {}) for row, action in zip(rows, actions, strict=True)
            )


FEEDS = (LinksFeed(), GroupsFeed(), LocationPlansFeed())
