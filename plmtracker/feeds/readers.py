"""Read a feed file row by row: CSV (UTF-8, comma or semicolon) or XLSX (first sheet).

Nothing here loads a whole file: rows stream out of the file as they are
read, each with the line number a person sees in a text editor or Excel.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from plmtracker.feeds.errors import FeedError, FeedTooLarge
from plmtracker.feeds.limits import Limits, check_xlsx, current_limits, too_many_columns, too_many_rows
from plmtracker.web.tabular import xlsx_text_read

__all__ = ["FORMATS", "FeedError", "FeedTooLarge", "Table", "file_format", "open_table"]

DELIMITERS = (",", ";", "\t")
FORMATS = ("csv", "xlsx")


@dataclass
class Table:
    """A header and the data rows after it, as (line number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    format: str
    size_hint: int | None = None  # about how many data rows, for progress bars
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FeedError(f"{Path(name).name or name!r} is neither a .csv nor an .xlsx file: save it as one of those.")
    return suffix


@contextmanager
def open_table(
    source: str | Path | IO[bytes], name: str | None = None, *, limits: Limits | None = None
) -> Iterator[Table]:
    """Open a CSV or XLSX file (a path, or a binary file object named `name`) as a Table.

    `limits` bound what reading an XLSX file may cost (default: a file as large as the settings allow).
    """
    name = name or str(source)
    fmt = file_format(name)
    if isinstance(source, str | Path):
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise FeedError(f"Cannot open {name}: {exc.strerror or exc}.") from exc
    else:
        stream = source
    try:
        if fmt == "xlsx":
            with _xlsx_table(stream, limits or current_limits()) as table:
                yield table
        else:
            yield _csv_table(stream)
    finally:
        if stream is not source:
            stream.close()


def _csv_table(stream: IO[bytes]) -> Table:
    size_hint = _count_lines(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
        while first and not first.strip():
            first = text.readline()
    except UnicodeDecodeError:
        raise _not_utf8(stream) from None
    if not first:
        raise FeedError("The file is empty: it needs a header row naming the columns, then one row per record.")
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    # strict: a quote left open at the end of the file is an error, not a cell swallowing the rest
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise _csv_error(exc, 1) from None
    return Table(
        header=header,
        rows=_csv_rows(reader, stream),
        format="csv",
        size_hint=max(size_hint - 1, 0),
        delimiter=delimiter,
    )


def _csv_rows(reader, stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    start = reader.line_num + 1
    try:
        for cells in reader:
            if cells and (cells[0] or any(cells)):
                yield start, cells
            start = reader.line_num + 1
    except UnicodeDecodeError:
        raise _not_utf8(stream) from None
    except csv.Error as exc:
        raise _csv_error(exc, start) from None


def _csv_error(exc: csv.Error, line: int) -> FeedError:
    """A row the csv module cannot split: an overlong cell or a quote that is never closed."""
    reason = str(exc)
    if "field larger than field limit" in reason:
        return FeedError(
            f"Line {line}: a cell is longer than {csv.field_size_limit():,} characters (or a quote opened "
            "there is never closed). Nothing was read past it."
        )
    if "unexpected end of data" in reason:
        return FeedError(
            f"Line {line}: a quote opened there is never closed, so the cell runs to the end of the file. "
            'Close the quote (a quote inside a quoted cell is written twice: "").'
        )
    return FeedError(f"Line {line} is not valid CSV ({reason}). Save the file as 'CSV UTF-8' and import it again.")


def _not_utf8(stream: IO[bytes]) -> FeedError:
    """Find the first line that is not UTF-8 (the decoder reads ahead in blocks, so look again)."""
    if not stream.seekable():
        return FeedError("The file is not UTF-8 text. Save it as 'CSV UTF-8' and import it again.")
    stream.seek(0)
    for number, raw in enumerate(stream, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return FeedError(
                f"Line {number} is not UTF-8 text (byte {raw[exc.start : exc.start + 1]!r} at position "
                f"{exc.start + 1}). Save the file as 'CSV UTF-8' and import it again."
            )
    return FeedError("The file is not UTF-8 text. Save it as 'CSV UTF-8' and import it again.")


def _count_lines(stream: IO[bytes]) -> int:
    """Count newlines quickly (for the progress bar), then rewind."""
    if not stream.seekable():
        return 0
    count = 0
    last = b""
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        count += chunk.count(b"\n")
        last = chunk
    stream.seek(0)
    return count + (1 if last and not last.endswith(b"\n") else 0)


XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    ParseError,
    DefusedXmlException,
)


def _unreadable(exc: Exception) -> FeedError:
    if isinstance(exc, DefusedXmlException):
        return FeedError("The workbook declares XML entities, which Excel never writes; it is refused.")
    return FeedError(f"This is not a readable .xlsx workbook ({exc}). Save it from Excel as .xlsx.")


@contextmanager
def _xlsx_table(stream: IO[bytes], limits: Limits) -> Iterator[Table]:
    from openpyxl import load_workbook

    check_xlsx(stream, limits)
    try:
        # data_only: a formula cell reads as the value Excel last computed; a text
        # cell that merely starts with "=" stays the text it is.
        book = load_workbook(stream, read_only=True, data_only=True)
        sheets = book.worksheets
    except XLSX_ERRORS as exc:
        raise _unreadable(exc) from None
    try:
        if not sheets:
            raise FeedError("The workbook has no sheet.")
        sheet = sheets[0]
        rows = _guarded(sheet.iter_rows(values_only=True), limits)
        header = None
        for _, cells in rows:
            if any(c not in (None, "") for c in cells):
                header = ["" if c is None else str(c) for c in cells]
                break
        if header is None:
            raise FeedError(
                "The first sheet is empty: it needs a header row naming the columns, then one row per record."
            )
        while header and not header[-1].strip():
            header.pop()
        notes = []
        if len(sheets) > 1:
            notes.append(f"Only the first sheet ({sheet.title!r}) was read; the workbook has {len(sheets)}.")
        size_hint = sheet.max_row - 1 if sheet.max_row else None
        yield Table(header=header, rows=_xlsx_rows(rows), format="xlsx", size_hint=size_hint, notes=notes)
    finally:
        book.close()


def _guarded(rows, limits: Limits) -> Iterator[tuple[int, tuple]]:
    """Number the sheet's rows; stop past the row limit, at an overlong row or at XML that does not parse."""
    line = 0
    try:
        for line, cells in enumerate(rows, start=1):
            if line > limits.rows:
                raise too_many_rows(limits)
            if len(cells) > limits.columns:
                raise too_many_columns(line, len(cells), limits)
            yield line, cells
    except XLSX_ERRORS as exc:
        raise FeedError(
            f"Row {line + 1} of the sheet cannot be read ({exc}). Save the file from Excel as .xlsx."
        ) from None


def _xlsx_rows(rows) -> Iterator[tuple[int, list[Any]]]:
    for line, cells in rows:
        if any(c is not None and c != "" for c in cells):
            yield line, [xlsx_text_read(c) if c.__class__ is str else c for c in cells]
