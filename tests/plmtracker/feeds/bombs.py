"""Hostile XLSX files, built with zipfile in a few milliseconds: small on disk, huge or malformed inside."""

from __future__ import annotations

import contextlib
import itertools
import random
import resource
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="Feed" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="/{{sheet}}"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHEET_PART = "xl/worksheets/sheet1.xml"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>item</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>replace</t></is></c></row>'
)


def sheet(body: Iterable[bytes] | bytes = b"", *, head: str = "") -> Iterable[bytes]:
    """A worksheet part: `head` before <sheetData> (e.g. a dimension), the header row, then `body`."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{head}<sheetData>{HEADER_ROW}'.encode()
    yield from [body] if isinstance(body, bytes) else body
    yield b"</sheetData></worksheet>"


def repeated(piece: bytes, times: int, per_chunk: int = 1 << 16) -> Iterable[bytes]:
    """`piece` `times` times, a chunk at a time (so building a 500 MB part needs no 500 MB string)."""
    block = piece * per_chunk
    full, rest = divmod(times, per_chunk)
    for _ in range(full):
        yield block
    yield piece * rest


def write_xlsx(
    path: Path,
    sheet_part: Iterable[bytes],
    strings_part: Iterable[bytes] | None = None,
    *,
    sheet_name: str = SHEET_PART,
    level: int = 9,
) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(sheet=sheet_name))
        for name, part in ((sheet_name, sheet_part), ("xl/sharedStrings.xml", strings_part)):
            if part is None:
                part = [f'<sst xmlns="{MAIN}" count="0" uniqueCount="0"/>'.encode()] if "shared" in name else []
            with archive.open(name, "w", force_zip64=True) as out:
                for chunk in part:
                    out.write(chunk)
    return path


def shared_strings(count: int, *, declared: int | None = None) -> Iterable[bytes]:
    said = "" if declared is None else f' uniqueCount="{declared}"'
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{said}>'.encode()
    yield from repeated(b"<si><t>x</t></si>", count)
    yield b"</sst>"


class Refused(Exception):
    """Raised by a test's reader once it has seen the refusal it expected (e.g. a 413 response)."""


@dataclass
class Refusal:
    error: Exception | None
    seconds: float
    cpu_seconds: float
    peak_bytes: int
    rss_growth_bytes: int


def refusal(read: Callable[[], object], expected: type[Exception]) -> Refusal:
    """Run `read` twice: timed (with the peak RSS before and after), then under tracemalloc for its peak.

    tracemalloc slows allocation down, so time and memory are measured in separate runs. The time
    is the clock's and this process's CPU time: the machine runs other work too, which the clock
    counts and the CPU time does not.
    """
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started, cpu = time.perf_counter(), time.process_time()
    error = None
    try:
        read()
    except expected as exc:
        error = exc
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    tracemalloc.start()
    with contextlib.suppress(expected):
        read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Refusal(error, seconds, cpu, peak, rss_growth)


def assert_cheap(found: Refusal, *, seconds: float = 1.0, megabytes: int = 100) -> None:
    """Refused within `seconds` of CPU (and a clock time no wait could explain) and `megabytes`."""
    assert found.error is not None, "the file was read, not refused"
    took = f"took {found.cpu_seconds:.2f} s of CPU, {found.seconds:.2f} s on the clock"
    assert found.cpu_seconds < seconds and found.seconds < 10 * seconds, took
    assert found.peak_bytes < megabytes * 2**20, f"allocated {found.peak_bytes / 2**20:.0f} MB"
    assert found.rss_growth_bytes < megabytes * 2**20, f"RSS grew {found.rss_growth_bytes / 2**20:.0f} MB"


def inline_cell(text: Iterable[bytes] | bytes, row: int = 2) -> Iterable[bytes]:
    yield f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>'.encode()
    yield from [text] if isinstance(text, bytes) else text
    yield b"</t></is></c></row>"


def empty_rows(path: Path) -> Path:
    """4 million <row/> elements: 24 MB of XML in about 40 KB."""
    return write_xlsx(path, sheet(repeated(b"<row/>", 4_000_000)))


def huge_cell(path: Path) -> Path:
    """One cell of 100 million characters in about 100 KB."""
    return write_xlsx(path, sheet(inline_cell(repeated(b"A", 100_000_000, 1 << 20))))


def many_strings(path: Path) -> Path:
    """3 million shared strings (no count declared) in about 130 KB."""
    return write_xlsx(path, sheet(), shared_strings(3_000_000))


def declared_strings(path: Path) -> Path:
    return write_xlsx(path, sheet(), shared_strings(1, declared=3_000_000))


def declared_rows(path: Path) -> Path:
    return write_xlsx(path, sheet(head='<dimension ref="A1:B4000000"/>'))


def declared_columns(path: Path) -> Path:
    return write_xlsx(path, sheet(head='<dimension ref="A1:ZZZ2"/>'))


def far_row(path: Path) -> Path:
    """Row 1, then row 4,000,000: openpyxl would yield the 3,999,998 rows between as empty ones."""
    return write_xlsx(path, sheet(inline_cell(b"x", row=4_000_000)))


def far_row_tab(path: Path) -> Path:
    """The same with a tab before the row number (the scan's fast search looks for a blank)."""
    return write_xlsx(path, sheet(b'<row\tr="4000000"><c t="inlineStr"><is><t>x</t></is></c></row>'))


def far_row_renamed(path: Path) -> Path:
    """The far row in a sheet part not named like one (the relationships say what a part is)."""
    return write_xlsx(path, sheet(inline_cell(b"x", row=4_000_000)), sheet_name="xl/data/rows.bin")


def far_row_utf16(path: Path) -> Path:
    """The far row in UTF-16, where a scan of bytes finds no "<row"."""
    text = b"".join(sheet(inline_cell(b"x", row=4_000_000))).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return write_xlsx(path, [text.encode("utf-16")])


def far_column(path: Path) -> Path:
    """A cell in column ZZZ: every row would be padded to 18,278 cells."""
    return write_xlsx(path, sheet(b'<row r="2"><c r="ZZZ2" t="inlineStr"><is><t>x</t></is></c></row>'))


def entity_expansion(path: Path) -> Path:
    """The billion laughs: ten entities of ten each, expanding to 10^9 characters."""
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    body = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{MAIN}"><sheetData>'
    body += f'{HEADER_ROW}<row><c t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    return write_xlsx(path, [body.encode()])


def external_entity(path: Path) -> Path:
    body = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{HEADER_ROW}'
        '<row><c t="inlineStr"><is><t>&secret;</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return write_xlsx(path, [body.encode()])


def broken_xml(path: Path) -> Path:
    """A sheet whose XML stops halfway through a row."""
    return write_xlsx(path, sheet(b'<row r="2"><c t="inlineStr"><is><t>1000001</t></is></c><c t="inlineS'))


def broken_xml_after_dimension(path: Path) -> Path:
    """The same after a dimension: openpyxl opens the sheet and fails only while reading the rows."""
    return write_xlsx(
        path, sheet(b'<row r="2"><c t="inlineStr"><is><t>1</t></is></c><c t="inlineS', head='<dimension ref="A1:B2"/>')
    )


def empty_cells_block(size: int = 1 << 18, seed: int = 17) -> bytes:
    """Empty cells in runs of random length: deflate packs them about 92 times (the ratio check allows 100)."""
    rnd = random.Random(seed)
    pieces, length = [], 0
    while length < size:
        piece = b"<c/>" * rnd.randrange(1, 54) + b'<c s="1"/>'
        pieces.append(piece)
        length += len(piece)
    return b"".join(pieces)


def cell_bomb(path: Path, stored_kb: int) -> Path:
    """One row of millions of empty cells and no <dimension>, about `stored_kb` KB on disk (the issue's bomb).

    openpyxl builds the whole row (and, with no dimension, reads the whole sheet to size it) before
    any check of its width can run: a 641 KB one took 103 s and 5.7 GB before this scan.
    """
    block = empty_cells_block()
    blocks = stored_kb * 1024 * 92 // len(block)
    return write_xlsx(path, sheet([b'<row r="2">', *[block] * blocks, b"</row>"]))


def plain_sheet(path: Path, stored_mb: float) -> Path:
    """Plain link rows (varied codes and reasons), no <dimension>, about `stored_mb` MB on disk."""
    rnd = random.Random(5)
    words = [b"discontinued", b"vendor", b"latex", b"free", b"recall", b"size", b"sterile", b"pack", b"box"]

    def rows() -> Iterable[bytes]:
        for n in itertools.count(2):
            reason = b" ".join(rnd.choice(words) for _ in range(rnd.randrange(2, 9)))
            yield (
                (
                    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{rnd.randrange(10**6, 10**7)}</t></is></c>'
                    f'<c r="B{n}" t="inlineStr"><is><t>{rnd.randrange(10**6, 10**7)}</t></is></c>'
                    f'<c r="C{n}" t="inlineStr"><is><t>'
                ).encode()
                + reason
                + b"</t></is></c></row>"
            )

    target = int(stored_mb * 2**20)
    count = 10_000
    while True:  # about six times smaller stored: grow until the file is as large as asked
        write_xlsx(path, sheet(itertools.islice(rows(), count)), level=1)
        size = path.stat().st_size
        if size >= target:
            return path
        count = int(count * target / size * 1.03) + 1


def strings_at_the_limit(path: Path, count: int = 1_000_000) -> Path:
    """`count` distinct shared strings, declared: the most the PLM_XLSX_MAX_SHARED_STRINGS default allows."""
    strings = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" uniqueCount="{count}">'.encode()]
    strings += [
        b"".join(b"<si><t>%07d</t></si>" % n for n in range(start, min(start + 10_000, count)))
        for start in range(0, count, 10_000)
    ]
    strings.append(b"</sst>")
    return write_xlsx(
        path, sheet(b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c></row>'), strings
    )


def stored_ratio(path: Path, part: str = SHEET_PART) -> float:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    return info.file_size / info.compress_size


def many_parts(path: Path) -> Path:
    """A workbook with 5,000 empty parts (zipfile lists every one before anything is read)."""
    write_xlsx(path, sheet())
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(5_000):
            archive.writestr(f"x/{n}", b"")
    return path


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    return path
