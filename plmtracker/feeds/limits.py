"""What a feed file may cost to read, checked before an XLSX workbook is parsed.

An XLSX file is a zip of XML: a 100 KB upload can unpack to gigabytes, declare
a million rows it does not have, or hold one cell of 500 MB. Every number that
makes reading expensive is bounded here, from the archive's own directory (the
sizes Python's zipfile never reads past) and from a streamed scan of its XML
(a chunk at a time, so the scan itself stays small), before openpyxl sees it.
The row and column limits also hold while the rows are read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from plmtracker.feeds.errors import FeedError, FeedTooLarge

CHUNK = 1 << 20
MAX_PARTS = 1000  # a workbook has a few dozen; each costs an object before anything is read
END_OF_DIRECTORY = b"PK\x05\x06"
RATIO_FLOOR = 1 << 20  # members smaller than this may compress as well as they like
DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
# How XML in UTF-16 or UTF-32 starts (with or without a byte-order mark): the scan reads bytes.
WIDE_XML = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\x00<")
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
SST = re.compile(rb"<(?:\w+:)?sst\b[^>]*>")
SST_COUNT = re.compile(rb"\buniqueCount=\"(\d+)\"")
# Counted with bytes.count (no match objects): <si> and <row> with or without a namespace
# prefix, in the form the part's first chunk uses (no other tag of those parts starts so).
STRING_ITEM = (b"<si", b":si")
ROW = (b"<row", b":row")
# A row number of a million or more (openpyxl yields an empty row for every number it skips).
# Attributes are nearly always spaced by a blank, which a literal prefix finds fast; the
# slower pattern runs only on a chunk that spaces them otherwise.
FAR_ROW = re.compile(rb" r=\"([0-9]{7,})\"")
FAR_ROW_ANY_SPACE = re.compile(rb"[\t\n\r ]r=\"([0-9]{7,})\"")
OTHER_SPACES = (b"\tr=", b"\nr=", b"\rr=")


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    member_bytes: int
    ratio: int
    rows: int
    columns: int
    shared_strings: int
    cell_chars: int


def current_limits() -> Limits:
    """The limits in force (settings PLM_XLSX_*; see README, Configuration)."""
    return Limits(
        uncompressed_bytes=settings.PLM_XLSX_MAX_UNCOMPRESSED_BYTES,
        member_bytes=settings.PLM_XLSX_MAX_MEMBER_BYTES,
        ratio=settings.PLM_XLSX_MAX_RATIO,
        rows=settings.PLM_XLSX_MAX_ROWS,
        columns=settings.PLM_XLSX_MAX_COLUMNS,
        shared_strings=settings.PLM_XLSX_MAX_SHARED_STRINGS,
        cell_chars=settings.PLM_XLSX_MAX_CELL_CHARS,
    )


def _size(value: int) -> str:
    return str(filesizeformat(value)).replace("\xa0", " ")


def too_many_rows(limits: Limits) -> FeedTooLarge:
    return FeedTooLarge(f"The sheet has more than {limits.rows:,} rows; split it into smaller files.")


def too_many_columns(line: int, count: int, limits: Limits) -> FeedTooLarge:
    return FeedTooLarge(
        f"Row {line} reaches column {count:,}; a feed sheet may use at most {limits.columns:,} columns."
    )


def check_xlsx(stream: IO[bytes], limits: Limits) -> None:
    """Refuse a workbook that would be too costly or unsafe to parse; rewind the stream."""
    _check_part_count(stream)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            _check_sizes(members, limits)
            for member in members:
                _scan(archive, member, limits)
    # zipfile raises NotImplementedError for a compression method it lacks and RuntimeError for an
    # encrypted part: both mean a file this tracker cannot read, like a broken archive.
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise FeedError(f"This is not a readable .xlsx workbook ({exc}). Save it from Excel as .xlsx.") from None
    stream.seek(0)


def _check_part_count(stream: IO[bytes]) -> None:
    """Read the archive's entry count from its end record: zipfile would list every entry first."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - (1 << 16) - 22))
    end = stream.read()
    stream.seek(0)
    at = end.rfind(END_OF_DIRECTORY)
    if at >= 0 and len(end) >= at + 12:
        parts = int.from_bytes(end[at + 10 : at + 12], "little")  # 0xFFFF: a zip64 archive, more still
        if parts > MAX_PARTS:
            raise FeedTooLarge(
                f"The workbook holds {parts:,} parts; at most {MAX_PARTS:,} are read (a sheet of data has a few dozen)."
            )


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed_bytes:
        raise FeedTooLarge(
            f"The workbook unpacks to {_size(total)}; at most {_size(limits.uncompressed_bytes)} are read."
        )
    for member in members:
        if member.file_size > limits.member_bytes:
            raise FeedTooLarge(
                f"The workbook's part {member.filename} unpacks to {_size(member.file_size)}; "
                f"at most {_size(limits.member_bytes)} are read."
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.ratio:
            raise FeedTooLarge(
                f"The workbook's part {member.filename} unpacks {ratio:,.0f} times larger than it is stored "
                f"(at most {limits.ratio:,} times): it is not a sheet of data."
            )


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Read one part in chunks: no DTD or entities, no overlong text, the sizes it declares in bounds.

    The workbook's relationships decide which part openpyxl parses as what, so every XML
    part gets every check, whatever its name.
    """
    name = member.filename
    with archive.open(member) as part:
        chunk = part.read(CHUNK)
        if not _is_xml(name, chunk):
            return
        _check_dimension(name, chunk, limits)
        _check_declared_strings(chunk, limits)
        row_tags = _form(ROW, chunk)
        string_tags = _form(STRING_ITEM, chunk) if SST.search(chunk) else ()
        tail = b""
        run = rows = strings = 0  # run: characters since the last < or >, carried across chunks
        while chunk:
            window = tail + chunk
            declared = window.find(b"<!")
            if declared >= 0 and any(d in window[declared:] for d in DECLARATIONS):
                raise FeedError(
                    f"The workbook's part {name} declares XML entities or a DTD, which Excel never writes; "
                    "it is refused. Save the file from Excel as .xlsx."
                )
            # openpyxl reads a sheet without a dimension whole just to size it: count first.
            rows += _count(row_tags, window, tail)
            if rows > limits.rows or _far_row(window) > limits.rows:
                raise too_many_rows(limits)
            strings += _count(string_tags, window, tail)
            if strings > limits.shared_strings:
                raise _too_many_strings(limits)
            run = _longest_run(chunk, run, name, limits)
            tail = window[-64:]
            chunk = part.read(CHUNK)


def _is_xml(name: str, head: bytes) -> bool:
    """Whether the part is XML to scan (images and printer settings are not); only UTF-8 XML is taken."""
    if head.startswith(WIDE_XML):
        raise FeedError(
            f"The workbook's part {name} is XML in UTF-16 or UTF-32, which Excel never writes; it is refused. "
            "Save the file from Excel as .xlsx."
        )
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _form(tags: tuple[bytes, bytes], head: bytes) -> tuple[bytes]:
    """The tag without a prefix, unless the part writes it with one."""
    return tags[1:] if tags[0] not in head and tags[1] in head else tags[:1]


def _count(needles: tuple[bytes, ...], window: bytes, tail: bytes) -> int:
    """Occurrences in the chunk, counting one that straddles the previous chunk's end once."""
    return sum(window.count(n) - tail.count(n) for n in needles)


def _far_row(window: bytes) -> int:
    """The largest row number of a million or more in the chunk's row tags (0: none)."""
    largest = 0
    pattern = FAR_ROW_ANY_SPACE if any(s in window for s in OTHER_SPACES) else FAR_ROW
    for found in pattern.finditer(window):
        tag = window.rfind(b"<", 0, found.start())
        name = window[tag + 1 : found.start() + 1].split(maxsplit=1)[:1]
        if tag >= 0 and name and (name[0] == b"row" or name[0].endswith(b":row")):
            largest = max(largest, int(found.group(1)))
    return largest


def _longest_run(chunk: bytes, run: int, name: str, limits: Limits) -> int:
    """Check the text between brackets; return the length of the run still open at the chunk's end.

    Splitting every chunk at its brackets would cost more than parsing it, so the chunk is
    looked at in windows of half the limit: when each holds a bracket, no run inside can
    reach the limit; a window without one is measured exactly.
    """
    limit = limits.cell_chars
    first = _bracket(chunk, 0, len(chunk))
    if first < 0:
        run += _chars(chunk, limit)
    else:
        run += _chars(chunk[:first], limit)
        last = max(chunk.rfind(b"<"), chunk.rfind(b">"))
        if run <= limit:
            run = limit + 1 if _long_run_inside(chunk, first, last, limit) else _chars(chunk[last + 1 :], limit)
    if run > limit:
        raise FeedTooLarge(
            f"The workbook's part {name} holds a cell or tag of more than {limit:,} characters "
            "(Excel's own limit); it is refused."
        )
    return run


def _bracket(chunk: bytes, start: int, end: int) -> int:
    """The position of the first < or > in chunk[start:end], or -1."""
    found = [i for i in (chunk.find(b"<", start, end), chunk.find(b">", start, end)) if i >= 0]
    return min(found) if found else -1


def _long_run_inside(chunk: bytes, first: int, last: int, limit: int) -> bool:
    step = max(limit // 2, 1)
    start = first
    while start < last:
        end = min(start + step, last)
        if _bracket(chunk, start, end) < 0:
            left = max(chunk.rfind(b"<", 0, start), chunk.rfind(b">", 0, start)) + 1
            right = _bracket(chunk, end, len(chunk))
            if _chars(chunk[left:right], limit) > limit:
                return True
            start = right
        else:
            start = end
    return False


def _chars(piece: bytes, limit: int) -> int:
    """Characters in UTF-8 bytes (bytes are counted when they cannot be over the limit anyway)."""
    return len(piece) if len(piece) <= limit else len(piece.decode("utf-8", "ignore"))


def _check_dimension(name: str, head: bytes, limits: Limits) -> None:
    from openpyxl.utils.cell import range_boundaries

    found = DIMENSION.search(head)
    if found is None:
        return
    try:
        _, _, max_column, max_row = range_boundaries(found.group(1).decode("ascii", "replace"))
    except (ValueError, TypeError):
        raise FeedError(f"The workbook's part {name} declares a dimension that is not a cell range.") from None
    if max_row and max_row > limits.rows:
        raise FeedTooLarge(
            f"The sheet declares {max_row:,} rows; at most {limits.rows:,} are read. Split it into smaller files."
        )
    if max_column and max_column > limits.columns:
        raise FeedTooLarge(
            f"The sheet declares {max_column:,} columns; a feed sheet may use at most {limits.columns:,}."
        )


def _check_declared_strings(head: bytes, limits: Limits) -> None:
    found = SST.search(head)
    if found is None:
        return
    if any(int(n) > limits.shared_strings for n in SST_COUNT.findall(found.group(0))):
        raise _too_many_strings(limits)


def _too_many_strings(limits: Limits) -> FeedTooLarge:
    return FeedTooLarge(
        f"The workbook holds more than {limits.shared_strings:,} shared strings; at most "
        f"{limits.shared_strings:,} are read. Split it into smaller files."
    )
