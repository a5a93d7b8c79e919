"""Tables out to CSV and XLSX, for downloads and `export_data`.

Text cells that a spreadsheet would run as a formula (starting with =, +, -
or @) are neutralised with a leading apostrophe; numbers stay numbers. The
feed importer takes that apostrophe off again (`unescape_cell`), so an
exported file imports back unchanged. Text that already starts with
apostrophes before such a character gets one more, so the two stay inverses.

In an XLSX file a carriage return is written as Excel writes it, `_x000D_`
(XML reads a raw one back as a line feed, so CR LF would come back as LF),
and text that reads like such an escape gets its underscore escaped
(`_x005F_`); the reader undoes both (`xlsx_text_read`), for Excel's files too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED = re.compile("'+[=+\\-@\t\r]")  # what safe_cell wrote, or text that would read as such
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
DATETIME_TEXT = "%Y-%m-%d %H:%M"  # the site's one way of writing a time


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should receive it: formulas in text are defused."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or ESCAPED.match(value)):
        return "'" + value
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Spreadsheets have no time zones: times are written in the site's, as the pages show them.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


XLSX_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")  # OOXML's escape of one character (ST_Xstring)
# Every underscore a reader would take as an escape's start, overlapping ones included (_x005F_x000D_).
ESCAPE_START = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell holds it: CR as _x000D_, and a literal escape with its underscore escaped."""
    if "_x" in value:
        value = ESCAPE_START.sub("_x005F_", value)
    return value.replace("\r", "_x000D_")


def xlsx_text_read(value: str) -> str:
    """The text an XLSX cell holds (undoes `xlsx_text`, and Excel's own escapes)."""
    if "_x" not in value:
        return value
    return XLSX_ESCAPE.sub(lambda found: chr(int(found.group()[2:6], 16)), value)


def unescape_cell(value: str) -> str:
    """The text `safe_cell` was given: one leading apostrophe off, if safe_cell put it there."""
    return value[1:] if ESCAPED.match(value) else value


def _csv_text(value: Any) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime(DATETIME_TEXT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text line by line, starting with a byte-order mark so Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_csv_text(v) for v in row])


def _xlsx_cell(sheet, value: Any) -> Any:
    """Dates and times shown as the pages show them (YYYY-MM-DD, YYYY-MM-DD HH:MM); text kept exactly."""
    if isinstance(value, str):
        return xlsx_text(value)
    if not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
    return cell


def write_xlsx(out: BinaryIO, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export") -> int:
    """Write one sheet in openpyxl's streaming mode; return the number of data rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(headers))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, safe_cell(v)) for v in row])
        count += 1
    book.save(out)
    return count


def write_table(
    out: BinaryIO, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export"
) -> int:
    """Write a table as CSV or XLSX to a binary file; return the number of data rows."""
    if fmt == "xlsx":
        return write_xlsx(out, headers, rows, title)
    if fmt != "csv":
        raise ValueError(f"Unknown export format {fmt!r}: use csv or xlsx.")
    count = -1
    for count, line in enumerate(csv_lines(headers, rows)):  # noqa: B007 - count is the result
        out.write(line.encode("utf-8"))
    return count


def table_response(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A download of the table: CSV streamed row by row, XLSX built in memory."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, headers, rows, title=filename)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = StreamingHttpResponse(csv_lines(headers, rows), content_type=CSV_TYPE)
    else:
        raise ValueError(f"Unknown export format {fmt!r}: use csv or xlsx.")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
