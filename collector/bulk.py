"""Bulk link upload: a CSV/XLSX of links (item, replace, reason), previewed, then committed.

The page keeps the uploaded file between the preview and the commit in the
database (`collector.pending`: any app server can commit it, only its owner
may, and it expires); the commit re-reads it and adds every link in one
transaction through the links feed (collector.services.links_add_bulk), so
groups, merges and conflicts come out as if the links had been entered one
by one.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from collector import selectors
from collector.feeds import max_links
from collector.models import ALERT_TYPES
from collector.pending import keep_seconds, pending_upload_drop, pending_upload_find, pending_upload_keep
from plmtracker.feeds import FeedError, ImportResult, import_file
from plmtracker.feeds.limits import Limits, xlsx_limits
from plmtracker.feeds.readers import FORMATS
from plmtracker.web.parsers import MultiPartParser

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
SHOWN_ERRORS = 200
ALERT_LABELS = dict(ALERT_TYPES)
MERGES_COMPARED = 20  # merges of groups that exist shown side by side on the preview; the rest are listed


def keep_minutes() -> int:
    return keep_seconds() // 60


def max_upload_bytes() -> int:
    return int(getattr(settings, "PLM_BULK_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def bulk_limits() -> Limits:
    """What reading an XLSX links file may cost here: as much as the most links a file may hold need."""
    return xlsx_limits(max_links(), scope=f"a bulk upload takes at most {max_links():,} links")


class TooLarge(Exception):
    pass


def too_large_message(size: int | None = None) -> str:
    limit = filesizeformat(max_upload_bytes())
    said = f"The file is {filesizeformat(size)}; b" if size else "B"
    return f"{said}ulk uploads take at most {limit}. Split the links into smaller files."


def check_request_size(request: HttpRequest) -> None:
    """Refuse an upload whose request alone is over the limit (plus room for the form around the file)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_upload_bytes() + 64 * 1024:
        raise TooLarge(too_large_message(length))


def check_upload(upload: UploadedFile | None) -> str:
    """The file's format (csv or xlsx), or a ValueError/TooLarge saying what is wrong with it."""
    if upload is None:
        raise ValueError("Choose a .csv or .xlsx file with the columns item, replace and reason.")
    if upload.size > max_upload_bytes():
        raise TooLarge(too_large_message(upload.size))
    fmt = Path(upload.name or "").suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{upload.name} is neither a .csv nor an .xlsx file: save it as one of those.")
    return fmt


# --------------------------------------------------------------------------
# What a preview or a commit says


def summary(result: ImportResult) -> dict[str, Any]:
    """Counts, bad rows, groups made, merges and conflicts, with items named by their ERP codes."""
    codes = result.item_codes
    links = result.links
    groups_created, merges, conflicts = [], [], []
    if links is not None:
        groups_created = [
            {
                "group_id": None if result.dry_run else g["group_id"],
                "items": sorted(codes.get(i, str(i)) for i in g["item_ids"]),
            }
            for g in links.created_groups
        ]
        merges = [{"group_id": m["loser_group_id"], "into_group_id": m["winner_group_id"]} for m in links.merges]
        conflicts = [
            {
                "item": codes.get(item_id, str(item_id)),
                "alert_type": kind,
                "label": ALERT_LABELS.get(kind, kind),
                "degree_out": out,
                "degree_in": in_,
            }
            for item_id, (kind, out, in_) in sorted(links.alerts_raised.items(), key=lambda a: codes.get(a[0], ""))
        ]
    return {
        "dry_run": result.dry_run,
        "written": result.written,
        "rows": result.rows,
        "new": result.created,
        "existing": result.unchanged,
        "invalid": result.skipped,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in result.errors[:SHOWN_ERRORS]],
        "more_errors": max(result.error_count - SHOWN_ERRORS, 0),
        "warnings": result.warnings,
        "groups_created": groups_created,
        "merges": merges,
        "conflicts": conflicts,
    }


# --------------------------------------------------------------------------
# The page


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label="Links file",
        help_text="A .csv (UTF-8, comma or semicolon) or .xlsx file with the columns item, replace and reason.",
    )
    too_large = False
    format = ""

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            self.format = check_upload(upload)
        except TooLarge as exc:
            self.too_large = True
            raise forms.ValidationError(str(exc)) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload

    def refuse(self, message: str) -> None:
        self.add_error("file", message)


def _panel(request: HttpRequest, context: dict[str, Any], status_code: int = 200) -> HttpResponse:
    context = {
        "form": context.pop("form", None) or BulkUploadForm(),
        "max_bytes": max_upload_bytes(),
        "max_links": max_links(),
        **context,
    }
    if request.htmx:
        # htmx swaps only 2xx answers (and the browser logs 4xx ones as errors): the refusal is in the panel.
        return render(request, "collector/partials/_bulk_panel.html", context)
    return render(request, "collector/bulk.html", context, status=status_code)


@require_http_methods(["GET", "HEAD", "POST"])
def bulk_upload(request: HttpRequest) -> HttpResponse:
    """Choose a links file, see what it would do, then commit it."""
    if request.method in ("GET", "HEAD"):
        return _panel(request, {"state": "upload"})
    if request.POST.get("action") == "commit":
        return _commit(request)
    return _preview(request)


def _refused(message: str, request: HttpRequest, code: int = status.HTTP_400_BAD_REQUEST) -> HttpResponse:
    """The upload form again, with the reason the file was refused."""
    form = BulkUploadForm()
    form.errors["file"] = form.error_class([message])
    return _panel(request, {"state": "upload", "form": form}, code)


def _preview(request: HttpRequest) -> HttpResponse:
    try:
        check_request_size(request)
    except TooLarge as exc:
        return _refused(str(exc), request, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if form.too_large else status.HTTP_400_BAD_REQUEST
        return _panel(request, {"state": "upload", "form": form}, code)
    upload = form.cleaned_data["file"]
    pending = pending_upload_keep(
        owner=request.user, file_name=upload.name, file_format=form.format, content=b"".join(upload.chunks())
    )
    try:
        result = import_file(
            "links", _opened(pending), name=pending.file_name, limits=bulk_limits(), dry_run=True, user=request.user
        )
    except FeedError as exc:
        pending_upload_drop(pending)
        form.refuse(exc.message)
        return _panel(request, {"state": "upload", "form": form}, exc.status)
    return _panel(request, _preview_panel(result, pending.token, upload.name))


def _preview_panel(result: ImportResult, token: str, file_name: str) -> dict[str, Any]:
    """The preview panel: the summary, and each merge of two groups that exist side by side (the first few)."""
    said = summary(result)
    pairs = [(m["group_id"], m["into_group_id"]) for m in said["merges"][:MERGES_COMPARED]]
    compared = selectors.merge_comparisons(pairs) if pairs else {}
    merges = [{**m, "comparison": compared.get((m["group_id"], m["into_group_id"]))} for m in said["merges"]]
    return {"state": "preview", "summary": said, "merges": merges, "token": token, "file_name": file_name}


def _opened(pending) -> io.BytesIO:
    return io.BytesIO(bytes(pending.content))


def _commit(request: HttpRequest) -> HttpResponse:
    pending = pending_upload_find(token=request.POST.get("token", ""), owner=request.user)
    if pending is None:
        return _refused(
            "The uploaded file is no longer here (it was committed already, or it expired after "
            f"{keep_minutes()} minutes). Upload it again.",
            request,
        )
    name = pending.file_name
    skip_invalid = request.POST.get("skip_invalid") == "1"
    try:
        result = import_file(
            "links", _opened(pending), name=name, limits=bulk_limits(), user=request.user, skip_invalid=skip_invalid
        )
    except FeedError as exc:
        pending_upload_drop(pending)
        return _refused(exc.message, request, exc.status)
    if not result.written:
        # The data changed since the preview and a row became invalid: show it, keep the file.
        return _panel(request, _preview_panel(result, pending.token, name), status.HTTP_400_BAD_REQUEST)
    pending_upload_drop(pending)
    return _panel(request, {"state": "done", "summary": summary(result), "file_name": name})


# --------------------------------------------------------------------------
# The API

ERROR = inline_serializer("BulkError", {"error": serializers.CharField()})
ROW_ERRORS = inline_serializer(
    "BulkRowError",
    {"line": serializers.IntegerField(), "column": serializers.CharField(), "message": serializers.CharField()},
    many=True,
)
SUMMARY_FIELDS = {
    "dry_run": serializers.BooleanField(),
    "written": serializers.BooleanField(help_text="False for a dry run, or when bad rows stopped the upload."),
    "rows": serializers.IntegerField(help_text="Data rows read."),
    "new": serializers.IntegerField(help_text="Links added (dry run: that would be added)."),
    "existing": serializers.IntegerField(help_text="Links already recorded (nothing changes for them)."),
    "invalid": serializers.IntegerField(help_text="Rows refused: unknown code, self-link, reverse, duplicate row."),
    "errors": ROW_ERRORS,
    "more_errors": serializers.IntegerField(help_text="Problems beyond the ones listed."),
    "warnings": serializers.ListField(child=serializers.CharField()),
    "groups_created": inline_serializer(
        "BulkGroupCreated",
        {
            "group_id": serializers.IntegerField(allow_null=True, help_text="Null in a dry run."),
            "items": serializers.ListField(child=serializers.CharField()),
        },
        many=True,
    ),
    "merges": inline_serializer(
        "BulkMerge", {"group_id": serializers.IntegerField(), "into_group_id": serializers.IntegerField()}, many=True
    ),
    "conflicts": inline_serializer(
        "BulkConflict",
        {
            "item": serializers.CharField(),
            "alert_type": serializers.CharField(),
            "label": serializers.CharField(),
            "degree_out": serializers.IntegerField(),
            "degree_in": serializers.IntegerField(),
        },
        many=True,
    ),
}
SUMMARY = inline_serializer("BulkSummary", SUMMARY_FIELDS)
INVALID = inline_serializer("BulkInvalid", {"error": serializers.CharField(), **SUMMARY_FIELDS})


class BulkUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8, comma or semicolon) or XLSX with columns item, replace, reason."
    )
    dry_run = serializers.BooleanField(default=False, help_text="Preview only: say what would happen, write nothing.")
    skip_invalid = serializers.BooleanField(
        default=False, help_text="Add the good links and report the bad rows (default: any bad row stops the upload)."
    )


class BulkUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @classmethod
    def as_view(cls, **initkwargs):
        # DRF exempts its views from the site's login requirement (and answers an anonymous
        # client 403); keep the middleware's 401 JSON answer, as every API route does.
        view = super().as_view(**initkwargs)
        view.login_required = True
        return view

    @extend_schema(
        operation_id="collect_bulk",
        summary="Add many links from a CSV or XLSX file",
        description=(
            "Adds the file's links in order, in one transaction, as if entered one by one: groups are "
            "created, attached and merged, conflicts raised. With dry_run the answer says what would happen."
        ),
        request={"multipart/form-data": BulkUploadSerializer},
        responses={
            200: SUMMARY,
            201: SUMMARY,
            400: INVALID,
            401: ERROR,
            413: ERROR,
        },
        examples=[
            OpenApiExample(
                "Preview",
                response_only=True,
                status_codes=["200"],
                value={
                    "dry_run": True,
                    "written": False,
                    "rows": 2,
                    "new": 2,
                    "existing": 0,
                    "invalid": 0,
                    "errors": [],
                    "more_errors": 0,
                    "warnings": [],
                    "groups_created": [{"group_id": None, "items": ["1000001", "1000002", "1000003"]}],
                    "merges": [],
                    "conflicts": [{"item": "1000001", "alert_type": "OUT_DEG_GT1", "degree_out": 2, "degree_in": 0}],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            check_request_size(request._request)
        except TooLarge as exc:
            return Response({"error": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        options = BulkUploadSerializer(data=request.data)
        upload = request.FILES.get("file")
        try:
            fmt = check_upload(upload)
        except TooLarge as exc:
            return Response({"error": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except ValueError as exc:
            return Response({"error": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        options.is_valid(raise_exception=True)
        with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            try:
                result = import_file(
                    "links",
                    copy.name,
                    limits=bulk_limits(),
                    dry_run=options.validated_data["dry_run"],
                    skip_invalid=options.validated_data["skip_invalid"],
                    user=request.user,
                )
            except FeedError as exc:
                return Response({"error": exc.message}, status=exc.status)
        body = summary(result)
        if not result.ok and not result.skip_invalid and not result.dry_run:
            bad = result.skipped
            error = (
                f"{bad} bad row{'s' * (bad != 1)}: nothing was written. "
                "Fix them, or send skip_invalid=true to add the good links."
            )
            return Response({"error": error, **body}, status=status.HTTP_400_BAD_REQUEST)
        created = result.written and result.created > 0
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
