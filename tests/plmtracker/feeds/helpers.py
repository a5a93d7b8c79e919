"""Feed files for tests: write rows as CSV or XLSX, and read back what the tables hold."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.apps import apps
from openpyxl import Workbook

TABLES = [
    "plmtracker.Uom",
    "plmtracker.Item",
    "plmtracker.Location",
    "plmtracker.ItemLocation",
    "plmtracker.ItemUomConversion",
    "plmtracker.BurnRateDaily",
    "plmtracker.PoLine",
    "plmtracker.OnHandSnapshot",
    "collector.ItemGroup",
    "collector.ItemGroupMember",
    "collector.ItemLink",
    "collector.GroupAlert",
    "collector.GroupLocationPlan",
]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, delimiter=",", bom=False) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode("utf-8"))
    return path


def excel_value(text: str):
    """What Excel would hold for a typed-in cell: numbers as numbers, ISO dates as dates."""
    if text == "":
        return None
    if NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([excel_value(v) for v in row])
    book.save(path)
    return path


def write_feed(tmp_path: Path, fmt: str, header, rows, name: str = "feed", **csv_options) -> Path:
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "xlsx":
        return write_xlsx(path, header, rows)
    return write_csv(path, header, rows, **csv_options)


def state() -> dict[str, list[tuple]]:
    """Every row of every table a feed can touch (timestamps left out), for before/after comparisons."""
    snapshot = {}
    for label in TABLES:
        model = apps.get_model(label)
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("created_at", "updated_at", "added_at", "noted_at", "resolved_at")
        ]
        snapshot[label] = sorted(model.objects.values_list(*names), key=repr)
    return snapshot
