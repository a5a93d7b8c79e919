"""import_data and export_data as operations run them."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from plmtracker.feeds.exporting import export_registry
from plmtracker.inventory.models import Item, PoLine
from tests.factories import ItemFactory, LocationFactory, PoLineFactory, UomFactory
from tests.plmtracker.feeds.helpers import write_csv

pytestmark = pytest.mark.django_db
PO_HEADER = ["po_line_id", "po_date", "erp_item_code", "qty_ea", "price"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def item():
    return ItemFactory(erp_item_code="1000001")


def test_import_prints_the_summary(item, tmp_path):
    path = write_csv(tmp_path / "po.csv", [*PO_HEADER, "buyer"], [["1", "2026-10-01", "1000001", "5", "", "Kim"]])
    out, err = run("import_data", "po_lines", str(path))
    assert "Imported po_lines" in out
    assert re.search(r"\bcreated +1\n", out)
    assert "Warning: Ignored column not in the po_lines feed: buyer." in err
    out, _ = run("import_data", "po_lines", str(path))
    assert re.search(r"\bunchanged +1\n", out)


def test_a_bad_row_fails_the_command_and_writes_nothing(item, tmp_path):
    rows = [["1", "2026-10-01", "1000001", "5", ""], ["2", "2026-10-01", "1000001", "abc", ""]]
    path = write_csv(tmp_path / "po.csv", PO_HEADER, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row in .*nothing was written.*--skip-invalid"):
        call_command("import_data", "po_lines", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 3, qty_ea: 'abc' is not a number" in err.getvalue()
    assert not PoLine.objects.exists()

    out, err = run("import_data", "po_lines", str(path), "--skip-invalid")
    assert re.search(r"skipped \(bad rows\) +1\n", out)
    assert list(PoLine.objects.values_list("po_line_id", flat=True)) == [1]


def test_dry_run_writes_nothing(item, tmp_path):
    path = write_csv(tmp_path / "po.csv", PO_HEADER, [["1", "2026-10-01", "1000001", "5", ""]])
    out, _ = run("import_data", "po_lines", str(path), "--dry-run")
    assert "dry run, nothing written" in out
    assert re.search(r"would be created +1\n", out)
    assert not PoLine.objects.exists()


def test_a_file_problem_says_what_to_do(item, tmp_path):
    path = write_csv(tmp_path / "po.csv", ["po_line_id", "po_date"], [["1", "2026-10-01"]])
    with pytest.raises(CommandError, match="missing the columns erp_item_code, qty_ea"):
        run("import_data", "po_lines", str(path))
    with pytest.raises(CommandError, match="Cannot open"):
        run("import_data", "po_lines", str(tmp_path / "nowhere.csv"))


def test_the_registry_has_every_app_module():
    kinds = set(export_registry())
    assert {"items", "item_locations", "po_lines", "groups", "group_members", "links", "conflicts"} <= kinds


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(fmt, tmp_path):
    ea = UomFactory(code="EA")
    ItemFactory(erp_item_code="1000001", description="=cmd|' /C calc'!A0", base_uom=ea)
    ItemFactory(erp_item_code="1000002", description="-2 PACK", base_uom=None, active_flag=False)
    path = tmp_path / f"items.{fmt}"
    out, _ = run("export_data", "items", str(path))
    assert "Exported 2 items rows" in out
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    else:
        rows = [
            ["" if v is None else str(v) for v in r] for r in load_workbook(path).active.iter_rows(values_only=True)
        ]
    assert rows[0] == ["erp_item_code", "description", "base_uom", "active_flag"]
    # Neutralised on the way out: a spreadsheet shows the text instead of running it.
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[2][1] == "'-2 PACK"


def test_export_filters_and_formats(tmp_path):
    location = LocationFactory(location_id=100)
    item = ItemFactory(erp_item_code="1000001")
    PoLineFactory(item=item, po_line_id=1, po_date=date(2026, 11, 1))
    PoLineFactory(item=item, po_line_id=2, po_date=date(2026, 1, 1))
    path = tmp_path / "po.csv"
    run("export_data", "po_lines", str(path), "--as-of", "2026-11-15")
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["1"]
    run("export_data", "locations", str(tmp_path / "l.csv"), "--location-id", str(location.location_id))
    with pytest.raises(CommandError, match="neither a .csv nor an .xlsx"):
        run("export_data", "items", str(tmp_path / "items.json"))
    assert Item.objects.count() == 1
