"""Bulk uploads waiting between their preview and their commit, kept in the database.

Every app server sees them (a commit may land on another server than the
preview), only the owner may take one, and they expire after
`PLM_BULK_PENDING_SECONDS` (an hour by default): expired ones are purged
whenever an upload is kept or taken, and by `manage.py purge_pending_uploads`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from collector.models import PendingUpload

DEFAULT_KEEP_SECONDS = 3600


def keep_seconds() -> int:
    return int(getattr(settings, "PLM_BULK_PENDING_SECONDS", DEFAULT_KEEP_SECONDS))


def pending_uploads_purge() -> int:
    """Delete every expired pending upload; the number deleted."""
    deleted, _ = PendingUpload.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def pending_upload_keep(*, owner, file_name: str, file_format: str, content: bytes) -> PendingUpload:
    """Keep a previewed file for its owner (replacing the owner's earlier one); the token names it."""
    pending_uploads_purge()
    PendingUpload.objects.filter(owner=owner).delete()
    return PendingUpload.objects.create(
        token=secrets.token_hex(16),
        owner=owner,
        file_name=file_name[:255],
        file_format=file_format,
        content=content,
        expires_at=timezone.now() + timedelta(seconds=keep_seconds()),
    )


def pending_upload_find(*, token: str, owner) -> PendingUpload | None:
    """The owner's unexpired upload with this token, or None (another user's token finds nothing)."""
    pending_uploads_purge()
    if not token:
        return None
    return PendingUpload.objects.filter(token=token, owner=owner, expires_at__gt=timezone.now()).first()


def pending_upload_drop(upload: PendingUpload) -> None:
    PendingUpload.objects.filter(pk=upload.pk).delete()
