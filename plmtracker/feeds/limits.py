"""What a feed file may cost to read, checked before an XLSX workbook is parsed.

An XLSX file is a zip of XML: a 100 KB upload can unpack to gigabytes, declare
a million rows it does not have, hold one cell of 500 MB or one row of millions
of empty cells. Every number that makes reading expensive is bounded here, from
the archive's own directory (the sizes Python's zipfile never reads past) and
from a streamed scan of its XML (a chunk at a time, so the scan itself stays
small), before openpyxl sees it: rows, cells and XML elements in each row,
elements in the whole workbook, shared strings and their characters.

The bounds follow from the rows the path takes (`xlsx_limits`): a bulk upload of
at most 5,000 links reads a few MB of XML, `import_data` up to Excel's own sheet.
openpyxl costs about 10-20 microseconds per XML element, so the element budget is
what keeps a web upload's reading under a second or two. The row and column
limits also hold while the rows are read.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
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
# The namespace prefix a part writes its tags with, if any (Excel writes none).
PREFIX = re.compile(rb"<([\w.-]+):(?:worksheet|sheetData|row|sst)[\s/>]")
TAG_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")  # what may follow a tag's name
TAG = re.compile(rb"<[^>]*>")
UTF8_CONTINUATION = bytes(range(0x80, 0xC0))
# A row number of a million or more (openpyxl yields an empty row for every number it skips).
# Attributes are nearly always spaced by a blank, which a literal prefix finds fast; the
# slower pattern runs only on a chunk that spaces them otherwise.
FAR_ROW = re.compile(rb" r=\"([0-9]{7,})\"")
FAR_ROW_ANY_SPACE = re.compile(rb"[\t\n\r ]r=\"([0-9]{7,})\"")
OTHER_SPACES = (b"\tr=", b"\nr=", b"\rr=")
# What every workbook holds besides its rows (styles, theme, workbook, relationships): Excel's
# own come to about 300 KB and a few thousand elements; openpyxl parses the styles part whole.
WORKBOOK_BYTES = 1 << 20
WORKBOOK_ELEMENTS = 10_000
ELEMENTS_OUTSIDE_ROWS = 100_000
ELEMENTS_PER_CELL = 16  # a cell of inline rich text: <c><is><r><rPr>...</rPr><t/></r>...</is></c>


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    member_bytes: int
    ratio: int
    rows: int
    columns: int
    elements: int
    shared_strings: int
    shared_string_chars: int
    cell_chars: int
    scope: str = ""  # what takes the file, for messages: "a bulk upload takes at most 5,000 links"

    @property
    def row_elements(self) -> int:
        return self.columns * ELEMENTS_PER_CELL

    def taking(self) -> str:
        return f" ({self.scope})" if self.scope else ""


def xlsx_limits(data_rows: int, scope: str = "") -> Limits:
    """The limits for a path that takes at most `data_rows` rows of data (README, Configuration).

    Every budget follows from the rows: PLM_XLSX_BYTES_PER_ROW of XML and PLM_XLSX_ELEMENTS_PER_ROW
    XML elements a row, a tenth more rows (blank ones are skipped), four shared strings a row, all
    capped by the PLM_XLSX_MAX_* settings that hold for any file.
    """
    data_rows = max(data_rows, 1)
    xml_bytes = data_rows * settings.PLM_XLSX_BYTES_PER_ROW + WORKBOOK_BYTES
    uncompressed = min(settings.PLM_XLSX_MAX_UNCOMPRESSED_BYTES, xml_bytes)
    return Limits(
        uncompressed_bytes=uncompressed,
        member_bytes=min(settings.PLM_XLSX_MAX_MEMBER_BYTES, uncompressed),
        ratio=settings.PLM_XLSX_MAX_RATIO,
        rows=min(settings.PLM_XLSX_MAX_ROWS, data_rows + data_rows // 10 + 1),
        columns=settings.PLM_XLSX_MAX_COLUMNS,
        elements=data_rows * settings.PLM_XLSX_ELEMENTS_PER_ROW + WORKBOOK_ELEMENTS,
        shared_strings=min(settings.PLM_XLSX_MAX_SHARED_STRINGS, 4 * data_rows + 256),
        shared_string_chars=min(settings.PLM_XLSX_MAX_SHARED_STRING_CHARS, xml_bytes),
        cell_chars=settings.PLM_XLSX_MAX_CELL_CHARS,
        scope=scope,
    )


def current_limits() -> Limits:
    """The limits for a file of any size the settings allow (`import_data` of a sheet as large as Excel's)."""
    return xlsx_limits(settings.PLM_XLSX_MAX_ROWS)


def size_text(value: int) -> str:
    """A size as people read it (5.9 MB), with a plain space."""
    return str(filesizeformat(value)).replace("\xa0", " ")


def too_many_rows(limits: Limits) -> FeedTooLarge:
    return FeedTooLarge(f"The sheet has more than {limits.rows:,} rows{limits.taking()}; split it into smaller files.")


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
            tally = _Tally(limits)
            for member in members:
                _scan(archive, member, limits, tally)
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
    """The sizes the archive's directory states: zipfile never reads a part past its stated size."""
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed_bytes:
        raise FeedTooLarge(
            f"The workbook unpacks to {size_text(total)}; at most {size_text(limits.uncompressed_bytes)} are read"
            f"{limits.taking()}."
        )
    for member in members:
        if member.file_size > limits.member_bytes:
            raise FeedTooLarge(
                f"The workbook's part {member.filename} unpacks to {size_text(member.file_size)}; "
                f"at most {size_text(limits.member_bytes)} are read{limits.taking()}."
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > limits.ratio:
            raise FeedTooLarge(
                f"The workbook's part {member.filename} unpacks {ratio:,.0f} times larger than it is stored "
                f"(at most {limits.ratio:,} times): it is not a sheet of data."
            )


class _Tally:
    """What the whole workbook holds so far: XML elements, and those outside any row."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.elements = 0
        self.outside_rows = 0

    def add(self, elements: int, outside_rows: int) -> None:
        self.elements += elements
        self.outside_rows += outside_rows
        if self.elements > self.limits.elements:
            raise FeedTooLarge(
                f"The workbook holds more than {self.limits.elements:,} XML elements (cells, rows, strings)"
                f"{self.limits.taking()}; keep only the columns the feed needs, or split it into smaller files."
            )
        if self.outside_rows > ELEMENTS_OUTSIDE_ROWS:
            raise FeedTooLarge(
                f"The workbook holds more than {ELEMENTS_OUTSIDE_ROWS:,} XML elements outside its rows "
                "(styles, formatting); a sheet of data has a few thousand. Save the data alone as .xlsx."
            )


def _elements(piece: bytes, start: int = 0, end: int | None = None) -> int:
    """Start tags in piece[start:end]: every < opens one, but for end tags, declarations and instructions."""
    return sum(piece.count(b, start, end) * sign for b, sign in ((b"<", 1), (b"</", -1), (b"<!", -1), (b"<?", -1)))


class _Part:
    """The counts of one XML part, fed a piece at a time; no tag is split between two pieces.

    Tags are found in the form the part's first chunk uses (with or without a namespace prefix),
    by bytes.find and bytes.count: no match objects. A row written with another prefix is then
    not told apart from the one before it, and the two together break the row limits: refused.
    """

    def __init__(self, member: zipfile.ZipInfo, head: bytes, limits: Limits, tally: _Tally) -> None:
        self.limits = limits
        self.tally = tally
        found = PREFIX.search(head)
        prefix = found.group(1) + b":" if found else b""
        self.row_tag = b"<" + prefix + b"row"
        self.rows_end = b"</" + prefix + b"sheetData"
        self.cell_tags = tuple(b"<" + prefix + b"c" + end for end in TAG_ENDS)
        self.string_tags = tuple(b"<" + prefix + b"si" + end for end in TAG_ENDS)
        self.strings = SST.search(head) is not None
        # Text is never longer than its part: characters are counted only in a part that could hold too many.
        self.count_chars = member.file_size > limits.shared_string_chars
        # A cell takes 4 bytes at least (<c/>), any element 3: a shorter row cannot break the row limits.
        self.short_row = 4 * (limits.columns + 1)
        self.rows = 0  # row tags seen; 0: not in the sheet's rows yet
        self.rows_ended = False
        self.row_cells = self.row_elements = 0  # the row still open at the end of the last piece
        self.string_items = self.string_chars = 0

    def take(self, piece: bytes) -> None:
        elements = _elements(piece)
        if self.strings:
            self._strings(piece)
            self.tally.add(elements, 0)
        elif self.rows_ended or (self.rows == 0 and self.row_tag not in piece):
            self.tally.add(elements, elements)
        else:
            self.tally.add(elements, self._rows(piece))

    def _rows(self, piece: bytes) -> int:
        """Count and check the rows in the piece; the number of elements outside them."""
        end = piece.find(self.rows_end)
        ended = end >= 0
        if not ended:
            end = len(piece)
        # Inside sheetData nothing else starts with <row: the count is the rows', or more (refused).
        count = piece.count(self.row_tag, 0, end)
        if self.rows + count > self.limits.rows or _far_row(piece) > self.limits.rows:
            raise too_many_rows(self.limits)
        outside = _elements(piece, end)
        first = self._row_at(piece, 0, end)
        before = end if first < 0 else first
        if self.rows == 0:
            outside += _elements(piece, 0, before)
        else:
            self._grow(piece, 0, before)
        if first >= 0:
            last = self._row_at(piece, first, end, last=True)
            for at, to in self._long_rows(piece, first, last):
                number = self.rows + 1 + piece.count(self.row_tag, first, at)
                self._check_row(number, self._cells(piece, at, to), _elements(piece, at, to))
            self.rows += count
            self.row_cells = self.row_elements = 0
            self._grow(piece, last, end)
        self.rows_ended = ended
        return outside

    def _row_at(self, piece: bytes, start: int, end: int, *, last: bool = False) -> int:
        """Where the first (or last) row tag in piece[start:end] starts; -1: none (not <rowBreaks)."""
        tag = self.row_tag
        at = piece.rfind(tag, start, end) if last else piece.find(tag, start, end)
        while at >= 0 and piece[at + len(tag) : at + len(tag) + 1] not in TAG_ENDS:
            at = piece.rfind(tag, start, at) if last else piece.find(tag, at + 1, end)
        return at

    def _long_rows(self, piece: bytes, first: int, last: int) -> Iterator[tuple[int, int]]:
        """The rows between the row tags at `first` and `last` long enough to break the row limits.

        Looked for in windows of half that length (no loop over every row): a window in which no
        row tag starts lies inside one row, which is then measured exactly, tag to tag.
        """
        half, reach = self.short_row // 2, len(self.row_tag)
        at = first
        while at < last:
            stop = min(at + half, last)
            if self._row_at(piece, at + 1, stop + reach) >= 0:
                at = stop
                continue
            start = self._row_at(piece, first, at + reach, last=True)
            following = self._row_at(piece, at + 1, last + reach)
            if following - start >= self.short_row:
                yield start, following
            at = following

    def _grow(self, piece: bytes, start: int, end: int) -> None:
        """Add a piece of the row still open (a row may span chunks), and check it as it grows."""
        self.row_cells += self._cells(piece, start, end)
        self.row_elements += _elements(piece, start, end)
        self._check_row(self.rows, self.row_cells, self.row_elements)

    def _cells(self, piece: bytes, start: int, end: int) -> int:
        return sum(piece.count(tag, start, end) for tag in self.cell_tags)

    def _check_row(self, number: int, cells: int, elements: int) -> None:
        if cells > self.limits.columns:
            raise FeedTooLarge(
                f"Row {number:,} of the sheet holds more than {self.limits.columns:,} cells; a feed sheet may use "
                f"at most {self.limits.columns:,} columns."
            )
        # Cells written with another namespace prefix are not counted above; their elements are.
        if elements > self.limits.row_elements:
            raise FeedTooLarge(
                f"Row {number:,} of the sheet holds more than {self.limits.row_elements:,} XML elements, more than "
                f"{self.limits.columns:,} cells can need: it is not a sheet of data."
            )

    def _strings(self, piece: bytes) -> None:
        """Count the shared strings and their characters (the text between tags, as written)."""
        self.string_items += sum(piece.count(tag) for tag in self.string_tags)
        if self.string_items > self.limits.shared_strings:
            raise _too_many_strings(self.limits)
        if not self.count_chars:
            return
        text = TAG.sub(b"", piece)
        self.string_chars += len(text.translate(None, UTF8_CONTINUATION))  # UTF-8 continuation bytes off
        if self.string_chars > self.limits.shared_string_chars:
            raise FeedTooLarge(
                f"The workbook's shared strings hold more than {self.limits.shared_string_chars:,} characters"
                f"{self.limits.taking()}; split it into smaller files."
            )


def _scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits, tally: _Tally) -> None:
    """Read one part in chunks: no DTD or entities, no overlong text, the sizes it declares and holds in bounds.

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
        counts = _Part(member, chunk, limits, tally)
        tail = carry = b""
        run = 0  # characters since the last < or >, carried across chunks
        while chunk:
            window = tail + chunk
            declared = window.find(b"<!")
            if declared >= 0 and any(d in window[declared:] for d in DECLARATIONS):
                raise FeedError(
                    f"The workbook's part {name} declares XML entities or a DTD, which Excel never writes; "
                    "it is refused. Save the file from Excel as .xlsx."
                )
            run = _longest_run(chunk, run, name, limits)
            tail = window[-64:]
            # Count up to the last "<", so that no tag is split between two pieces. Data with no "<"
            # past its start is taken whole: the run check above stops a tag that never closes.
            data = carry + chunk
            cut = data.rfind(b"<")
            if cut <= 0:
                cut = len(data)
            counts.take(data[:cut])
            carry = data[cut:]
            chunk = part.read(CHUNK)
        counts.take(carry)


def _is_xml(name: str, head: bytes) -> bool:
    """Whether the part is XML to scan (images and printer settings are not); only UTF-8 XML is taken."""
    if head.startswith(WIDE_XML):
        raise FeedError(
            f"The workbook's part {name} is XML in UTF-16 or UTF-32, which Excel never writes; it is refused. "
            "Save the file from Excel as .xlsx."
        )
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


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
            f"The sheet declares {max_row:,} rows; at most {limits.rows:,} are read{limits.taking()}. "
            "Split it into smaller files."
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
        f"{limits.shared_strings:,} are read{limits.taking()}. Split it into smaller files."
    )
