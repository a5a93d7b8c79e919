"""Uploads waiting between their preview and their commit, kept in the database.

Every app server sees them (a commit may land on another server than the
preview), only the owner may take one, and they expire after
`PLM_BULK_PENDING_SECONDS` (an hour by default): expired ones are purged
whenever an upload is kept or taken, and by `manage.py purge_pending_uploads`.
The bulk upload keeps its files here (purpose "bulk"), and so do the admin's
imports (purpose "admin:<feed kind>", through `PendingUploadStorage`, the
django-import-export temporary storage named in the settings).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from collector.models import PendingUpload
from plmtracker.feeds.errors import FeedError

DEFAULT_KEEP_SECONDS = 3600
BULK = "bulk"


def keep_seconds() -> int:
    return int(getattr(settings, "PLM_BULK_PENDING_SECONDS", DEFAULT_KEEP_SECONDS))


class PendingUploadGone(FeedError):
    """The upload asked for cannot be taken; the message says why (HTTP 400)."""


def pending_uploads_purge() -> int:
    """Delete every expired pending upload; the number deleted."""
    deleted, _ = PendingUpload.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def pending_upload_keep(
    *, owner, file_name: str, file_format: str, content: bytes, purpose: str = BULK
) -> PendingUpload:
    """Keep a previewed file for its owner (replacing the owner's earlier one of that purpose); the token names it."""
    pending_uploads_purge()
    PendingUpload.objects.filter(owner=owner, purpose=purpose).delete()
    return PendingUpload.objects.create(
        token=secrets.token_hex(16),
        owner=owner,
        purpose=purpose,
        file_name=file_name[:255],
        file_format=file_format,
        content=content,
        expires_at=timezone.now() + timedelta(seconds=keep_seconds()),
    )


def pending_upload_find(*, token: str, owner, purpose: str = BULK) -> PendingUpload | None:
    """The owner's unexpired upload with this token, or None (another user's token finds nothing)."""
    pending_uploads_purge()
    if not token:
        return None
    return PendingUpload.objects.filter(
        token=token, owner=owner, purpose=purpose, expires_at__gt=timezone.now()
    ).first()


def pending_upload_take(*, token: str, owner, purpose: str, what: str) -> PendingUpload:
    """Remove the owner's upload with this token and return it; PendingUploadGone says why it cannot be.

    Safe when two requests take the same token at once: only one deletes the row, the other is told
    it was taken already. `what` names the upload in the messages ("import preview").
    """
    minutes = keep_seconds() // 60
    upload = PendingUpload.objects.filter(token=token).first() if token else None
    if upload is None:
        raise PendingUploadGone(
            f"No {what} has this id: it was imported already, replaced by a later upload, or it expired "
            f"after {minutes} minutes. Upload the file again."
        )
    if upload.owner_id != owner.pk:
        raise PendingUploadGone(f"This {what} belongs to another user: upload the file yourself.")
    if upload.purpose != purpose:
        made_for = upload.purpose.removeprefix("admin:")
        raise PendingUploadGone(f"This {what} was made for the {made_for} import: upload the file here.")
    if upload.expires_at <= timezone.now():
        pending_uploads_purge()
        raise PendingUploadGone(
            f"This {what} expired after {minutes} minutes; nothing was imported. Upload the file again."
        )
    deleted, _ = PendingUpload.objects.filter(pk=upload.pk).delete()
    if not deleted:
        raise PendingUploadGone(f"This {what} was imported already (the import was confirmed twice).")
    return upload


def pending_upload_drop(upload: PendingUpload) -> None:
    PendingUpload.objects.filter(pk=upload.pk).delete()


class PendingUploadStorage(BaseStorage):
    """django-import-export's temporary storage for the admin's imports: pending uploads, not files.

    import-export would keep a previewed file in the temp folder under a name the confirm form
    posts back, and read (and delete) whatever file that name reaches. Here the name is the
    random token of a pending upload that only its owner can take, once, before it expires.
    The admin (plmtracker.feeds.admin) passes the owner and the purpose.
    """

    def __init__(self, *, owner=None, purpose: str = "admin", file_name: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.owner = owner
        self.purpose = purpose
        self.file_name = file_name

    def save(self, data: bytes) -> None:
        kept = pending_upload_keep(
            owner=self.owner,
            file_name=self.file_name,
            file_format=self.file_name.rsplit(".", 1)[-1].lower()[:8],
            content=data,
            purpose=self.purpose,
        )
        self.name = kept.token

    def read(self) -> bytes:
        """Take the upload (it cannot be read twice); PendingUploadGone says why it cannot be."""
        upload = pending_upload_take(
            token=self.name or "", owner=self.owner, purpose=self.purpose, what="import preview"
        )
        return bytes(upload.content)

    def remove(self) -> None:
        PendingUpload.objects.filter(token=self.name or "").delete()
