"""Hostile and malformed files at the bulk upload: a 413 or 400 with the reason, nothing written, no copy left."""

from __future__ import annotations

import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from collector import bulk
from collector.models import ItemLink, PendingUpload
from tests.factories import ItemFactory
from tests.plmtracker.feeds import bombs

pytestmark = pytest.mark.django_db
PAGE = reverse("collector:bulk")
API = reverse("collector:api_bulk")
HEADER = b"item,replace,reason\n"

CSV_FILES = {
    "a cell over the csv module's limit": (
        HEADER + b"1000001,1000002," + b"x" * 140_000 + b"\n",
        "Line 2: a cell is longer than 131,072 characters",
    ),
    "a quote never closed": (
        HEADER + b'1000001,1000002,"Discontinued\n1000003,1000004,ok\n',
        "Line 2: a quote opened there is never closed",
    ),
    "a quote never closed, to the field limit": (
        HEADER + b'1000001,1000002,"' + b"y" * 140_000,
        "Line 2: a cell is longer than 131,072 characters",
    ),
}
XLSX_FILES = {
    "entities": (bombs.entity_expansion, 400, "declares XML entities or a DTD"),
    "an external entity": (bombs.external_entity, 400, "declares XML entities or a DTD"),
    "XML that does not parse": (bombs.broken_xml, 400, "not a readable .xlsx workbook"),
    "XML that breaks off in a row": (bombs.broken_xml_after_dimension, 400, "Row 2 of the sheet cannot be read"),
    "4 million empty rows": (bombs.empty_rows, 413, "unpacks to 22.9 MB; at most 5.9 MB are read (a bulk upload"),
    "3 million shared strings declared": (bombs.declared_strings, 413, "more than 20,256 shared strings"),
    "a row numbered 4 million": (bombs.far_row, 413, "more than 5,501 rows (a bulk upload takes at most 5,000"),
}


@pytest.fixture
def items():
    return [ItemFactory(erp_item_code=str(n)) for n in range(1000001, 1000005)]


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """Every temporary copy the upload makes lands here, to be counted."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(bulk, "UPLOAD_DIR", tmp_path / "plm-bulk-uploads", raising=False)
    return tmp_path


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def _uploads():
    for name, (content, message) in CSV_FILES.items():
        yield pytest.param(lambda tmp, content=content: ("links.csv", content), 400, message, id=name)
    for name, (build, status, message) in XLSX_FILES.items():
        yield pytest.param(
            lambda tmp, build=build: ("links.xlsx", build(tmp / "src.xlsx").read_bytes()), status, message, id=name
        )


UPLOADS = list(_uploads())


@pytest.mark.parametrize(("make", "status", "message"), UPLOADS)
@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_api(planner_client, items, temp_dir, tmp_path_factory, make, status, message, dry_run):
    name, content = make(tmp_path_factory.mktemp("src"))
    upload = SimpleUploadedFile(name, content)
    response = planner_client.post(API, {"file": upload, "dry_run": dry_run})
    assert response.status_code == status, response.content[:300]
    assert message in response.json()["error"]
    assert not ItemLink.objects.exists()
    assert files_in(temp_dir) == []


@pytest.mark.parametrize(("make", "status", "message"), UPLOADS)
def test_page(planner_client, items, temp_dir, tmp_path_factory, make, status, message):
    name, content = make(tmp_path_factory.mktemp("src"))
    response = planner_client.post(PAGE, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == status
    assert message in response.content.decode()
    assert not PendingUpload.objects.exists()  # nothing waits for a commit
    assert files_in(temp_dir) == []


def test_the_api_bomb_is_refused_quickly(planner_client, items, temp_dir, tmp_path):
    content = bombs.empty_rows(tmp_path / "bomb.xlsx").read_bytes()

    def send():
        response = planner_client.post(API, {"file": SimpleUploadedFile("links.xlsx", content), "dry_run": "true"})
        assert response.status_code == 413
        raise bombs.Refused

    bombs.assert_cheap(bombs.refusal(send, bombs.Refused))
