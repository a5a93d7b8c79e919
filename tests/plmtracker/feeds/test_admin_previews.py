"""The admin import's previews wait in the database for their confirm, like the bulk upload's.

django-import-export keeps a previewed file in the temp folder and its confirm step reads the
file named in the form: posting `import_file_name=../../tmp/<a file>.csv` imported that file and
deleted it, a second confirm or a missing file was a 500, and unconfirmed previews stayed there.
Now a preview is a pending upload under a random id, owned by the steward who made it, kept an
hour; any other id is a 400 that says what is wrong, and nothing goes to the temp folder.
"""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collector.models import PendingUpload
from collector.pending import PendingUploadGone, pending_upload_keep, pending_upload_take
from plmtracker.inventory.models import Item, Location
from tests.factories import UomFactory, UserFactory
from tests.plmtracker.feeds.helpers import write_csv

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:plmtracker_item_import")
CONFIRM = reverse("admin:plmtracker_item_process_import")
HEADER = ["erp_item_code", "description", "base_uom", "active_flag"]


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """The temp folder the admin would have used (tempfile's), empty and watched."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


@pytest.fixture
def items_file(tmp_path):
    UomFactory(code="EA")
    return write_csv(tmp_path / "items.csv", HEADER, [["1000001", "GLOVE", "EA", "1"]])


def preview(client, path, url=IMPORT):
    with open(path, "rb") as f:
        response = client.post(url, {"import_file": f, "format": 0, "resource": 0})
    assert response.status_code == 200
    form = response.context["confirm_form"]
    return {name: form[name].value() for name in form.fields}


def refusal(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_the_confirm_reads_no_file_named_in_the_form(steward_client, temp_dir, items_file):
    victim = temp_dir / "victim.csv"
    victim.write_text("erp_item_code,description\n6660001,NOT FOR IMPORT\n")
    fields = preview(steward_client, items_file)
    fields["import_file_name"] = f"../../{temp_dir.name}/victim.csv"
    response = steward_client.post(CONFIRM, fields)
    assert response.status_code == 400
    assert "No import preview has this id" in refusal(response)
    assert victim.exists() and not Item.objects.exists()
    assert sorted(p.name for p in temp_dir.iterdir()) == ["victim.csv"]  # nothing of the admin's


def test_a_preview_is_imported_once(steward_client, temp_dir, items_file):
    fields = preview(steward_client, items_file)
    assert PendingUpload.objects.get().token == fields["import_file_name"]
    assert steward_client.post(CONFIRM, fields).status_code == 302
    assert Item.objects.get().description == "GLOVE"
    again = steward_client.post(CONFIRM, fields)
    assert again.status_code == 400
    assert "it was imported already" in refusal(again)
    assert Item.objects.count() == 1 and not PendingUpload.objects.exists()
    assert list(temp_dir.iterdir()) == []


def test_another_stewards_preview_is_refused(steward_client, items_file):
    fields = preview(steward_client, items_file)
    other = UserFactory(email="other-steward@example.org", is_staff=True)
    from accounts.roles import set_role

    set_role(other, "steward")
    client = Client()
    client.force_login(other)
    response = client.post(CONFIRM, fields)
    assert response.status_code == 400
    assert "belongs to another user" in refusal(response)
    assert not Item.objects.exists()
    assert steward_client.post(CONFIRM, fields).status_code == 302  # still its owner's to confirm


def test_an_expired_preview_is_refused_and_removed(steward_client, items_file):
    fields = preview(steward_client, items_file)
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = steward_client.post(CONFIRM, fields)
    assert response.status_code == 400
    assert "expired after 60 minutes" in refusal(response)
    assert not Item.objects.exists() and not PendingUpload.objects.exists()


def test_a_preview_confirms_only_in_its_own_list(steward_client, items_file):
    fields = preview(steward_client, items_file)
    response = steward_client.post(reverse("admin:plmtracker_location_process_import"), fields)
    assert response.status_code == 400
    assert "was made for the items import" in refusal(response)
    assert not Location.objects.exists() and PendingUpload.objects.exists()


def test_a_bulk_upload_and_an_admin_preview_wait_side_by_side(steward_client, items_file):
    bulk = steward_client.post(reverse("collector:bulk"), {"file": SimpleUploadedFile("l.csv", b"item,replace\n1,2\n")})
    assert bulk.status_code == 200
    fields = preview(steward_client, items_file)
    assert sorted(PendingUpload.objects.values_list("purpose", flat=True)) == ["admin:items", "bulk"]
    assert steward_client.post(CONFIRM, fields).status_code == 302


def test_a_failed_preview_keeps_nothing(steward_client, temp_dir, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ["description"], [["no code column"]])
    with open(bad, "rb") as f:
        response = steward_client.post(IMPORT, {"import_file": f, "format": 0, "resource": 0})
    assert response.status_code == 400
    assert "missing the column erp_item_code" in str(response.context["form"].errors["import_file"])
    assert not PendingUpload.objects.exists() and list(temp_dir.iterdir()) == []


def test_an_upload_over_the_bulk_upload_limit_is_refused(steward_client, items_file, settings):
    settings.PLM_BULK_UPLOAD_MAX_BYTES = 40
    with open(items_file, "rb") as f:
        response = steward_client.post(IMPORT, {"import_file": f, "format": 0, "resource": 0})
    assert response.status_code == 413
    errors = str(response.context["form"].errors["import_file"])
    assert "The file is 68 bytes; imports here take at most 40 bytes." in errors
    assert not PendingUpload.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 300, "a\x00b", "../../etc/passwd"])
def test_a_malformed_id_is_a_400(steward_client, token):
    fields = {"import_file_name": token, "original_file_name": "items.csv", "format": "0", "resource": "0"}
    response = steward_client.post(CONFIRM, fields)
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_confirms_at_the_same_moment_import_once():
    """Two clicks on Confirm in flight together: one takes the preview, the other is told it is gone."""
    owner = UserFactory()
    kept = pending_upload_keep(
        owner=owner, file_name="items.csv", file_format="csv", content=b"x", purpose="admin:items"
    )
    taken, refused, errors = [], [], []
    start = threading.Barrier(6)

    def confirm() -> None:
        try:
            start.wait()
            taken.append(pending_upload_take(token=kept.token, owner=owner, purpose="admin:items", what="preview"))
        except PendingUploadGone as exc:
            refused.append(exc.message)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(taken) == 1 and len(refused) == 5
    assert all("imported already" in message for message in refused)
