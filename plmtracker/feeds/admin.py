"""Steward import and export in the Django admin, through django-import-export.

The admin keeps import-export's flow (upload, preview, confirm) but the work is
the feeds': files are read by the feed readers, rows checked and written by
`Feed.run` (links through collector.services), so the admin says and does
exactly what `import_data` says and does. Exports use the same `<app>/exports.py`
tables as `export_data`, narrowed to the admin list's filters.

A previewed file never goes to the temp folder: it waits in the database under
a random id, for the steward who previewed it, until it is confirmed or expires
(the temporary storage named by IMPORT_EXPORT_TMP_STORAGE_CLASS, the bulk
upload's pending uploads). Uploads are limited like the bulk upload's.
"""

from __future__ import annotations

import copy
import io
import itertools
from collections import defaultdict
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.fields import Field
from import_export.formats.base_formats import Format
from import_export.forms import ExportForm, ImportForm
from import_export.resources import Resource
from import_export.results import Result, RowResult

from plmtracker.feeds import FEEDS, FeedError
from plmtracker.feeds.engine import ImportResult
from plmtracker.feeds.errors import FeedTooLarge
from plmtracker.feeds.exporting import export_registry
from plmtracker.feeds.limits import size_text, xlsx_limits
from plmtracker.feeds.readers import Table, open_table
from plmtracker.web.tabular import CSV_TYPE, XLSX_TYPE, write_table


def steward(user) -> bool:
    """Stewards import and export. The user model (AUTH_USER_MODEL, accounts.User) says who is one:
    the core reads its `is_steward` without importing accounts, a layer above."""
    return bool(user and user.is_authenticated and getattr(user, "is_steward", False))


class FeedRows:
    """An uploaded feed file read whole (admin uploads are small): header and (line, cells) rows."""

    def __init__(self, header: list[str], rows: list[tuple[int, list[Any]]], fmt: str, notes: list[str]) -> None:
        self.header = header
        self.rows = rows
        self.format = fmt
        self.notes = notes

    def __len__(self) -> int:
        return len(self.rows)

    def table(self) -> Table:
        return Table(header=self.header, rows=iter(self.rows), format=self.format, notes=list(self.notes))


class ExportedTable:
    def __init__(self, headers: list[str], rows: Any, title: str) -> None:
        self.headers, self.rows, self.title = headers, rows, title


class FeedFormat(Format):
    """CSV or XLSX, read by the feed readers and written by plmtracker.web.tabular."""

    kind = ""
    extension = ""

    def __init__(self, encoding: str | None = None) -> None:
        # Text is decoded by the feed reader (UTF-8, with or without BOM), never by import-export.
        self.encoding = None

    def get_title(self) -> str:
        return self.extension

    def get_extension(self) -> str:
        return self.extension

    def get_content_type(self) -> str:
        return XLSX_TYPE if self.extension == "xlsx" else CSV_TYPE

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return True

    def create_dataset(self, in_stream: bytes) -> FeedRows:
        """Read the upload; a file the feed cannot take at all (no header, missing columns, too many rows) fails."""
        most = admin_rows(self.kind)
        limits = xlsx_limits(most, scope=f"the admin import takes at most {most:,} rows")
        with open_table(io.BytesIO(in_stream), name=f"upload.{self.extension}", limits=limits) as table:
            FEEDS[self.kind].layout(table.header, ImportResult(kind=self.kind))
            rows = list(itertools.islice(table.rows, most + 1))
        if not rows:
            raise FeedError("The file has a header row but no data rows: there is nothing to import.")
        FEEDS[self.kind].check_size(len(rows), ImportResult(kind=self.kind))
        if len(rows) > most:
            raise FeedTooLarge(
                f"The admin import takes at most {most:,} rows (it previews every one); this file has more. "
                f"Split it, or have it imported with `manage.py import_data {self.kind} FILE`."
            )
        return FeedRows(table.header, rows, table.format, table.notes)

    def export_data(self, dataset: ExportedTable, **kwargs: Any) -> bytes:
        out = io.BytesIO()
        write_table(out, self.extension, dataset.headers, dataset.rows, title=dataset.title)
        return out.getvalue()


def admin_rows(kind: str) -> int:
    """The most data rows an admin import of `kind` takes (links: no more than the bulk upload's links)."""
    most = settings.PLM_ADMIN_IMPORT_MAX_ROWS
    own = FEEDS[kind].row_limit()
    return most if own is None else min(most, own)


@cache
def feed_formats(kind: str) -> list[type[FeedFormat]]:
    return [
        type(f"{kind.title()}{ext.upper()}Format", (FeedFormat,), {"kind": kind, "extension": ext})
        for ext in ("csv", "xlsx")
    ]


class FeedResource(Resource):
    """Import rows through a feed; export through the kind's exports table."""

    kind = ""
    export_kind = ""

    @classmethod
    def get_display_name(cls) -> str:
        return f"{cls.kind} feed"

    def get_user_visible_fields(self) -> list[Field]:
        return [Field(attribute=c.name, column_name=c.name) for c in FEEDS[self.kind].columns]

    def export(self, queryset=None, **kwargs: Any) -> ExportedTable:
        headers, rows = export_registry()[self.export_kind](queryset=queryset)
        return ExportedTable(headers, rows, self.export_kind)

    def import_data(self, dataset: FeedRows, dry_run: bool = False, raise_errors: bool = False, **kwargs: Any):
        feed = FEEDS[self.kind]
        done = feed.run(dataset.table(), dry_run=dry_run, user=kwargs.get("user"), keep_rows=True)
        return self.as_result(done, dataset)

    def as_result(self, done: ImportResult, dataset: FeedRows) -> Result:
        """The feed's outcome in import-export's terms: a preview row per good row, an invalid row per bad one."""
        result = self.get_result_class()()
        present = {name.strip().lower() for name in dataset.header}
        result.diff_headers = [c.name for c in FEEDS[self.kind].columns if c.name in present]
        for outcome in done.outcomes or []:
            row = self.get_row_result_class()()
            row.import_type = {"new": RowResult.IMPORT_TYPE_NEW, "update": RowResult.IMPORT_TYPE_UPDATE}.get(
                outcome.action, RowResult.IMPORT_TYPE_SKIP
            )
            row.diff = ["" if outcome.cells.get(h) is None else outcome.cells.get(h) for h in result.diff_headers]
            result.append_row_result(row)
            result.increment_row_result_total(row)
        by_line: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for error in done.errors:
            by_line[error.line][error.column or NON_FIELD_ERRORS].append(error.message)
        cells_of = dict(dataset.rows)
        index = {name.strip().lower(): i for i, name in enumerate(dataset.header)}
        for line, errors in sorted(by_line.items()):
            cells = cells_of.get(line, [])
            values = {h: cells[index[h]] if index[h] < len(cells) else "" for h in result.diff_headers}
            result.append_invalid_row(line, values, ValidationError(dict(errors)))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
        if done.error_count > len(done.errors):
            more = done.error_count - len(done.errors)
            result.append_invalid_row(0, {}, ValidationError(f"... and {more:,} more problems not listed."))
        result.total_rows = done.rows
        result.feed = done
        return result


@cache
def feed_resource(kind: str, export_kind: str) -> type[FeedResource]:
    return type(f"{kind.title()}FeedResource", (FeedResource,), {"kind": kind, "export_kind": export_kind})


class FeedImportForm(ImportForm):
    """import-export's upload form; a file over the bulk upload's size limit is refused (413)."""

    refusal_status: int | None = None  # set when the file is refused: the page answers with it

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        most = settings.PLM_BULK_UPLOAD_MAX_BYTES
        if upload.size > most:
            self.refusal_status = 413
            raise ValidationError(
                f"The file is {size_text(upload.size)}; imports here take at most {size_text(most)}. "
                "Split it, or have it imported with `manage.py import_data`."
            )
        return upload


class HeldUpload:
    """The upload as import-export reads it for the preview: in memory, nowhere on disk."""

    name = ""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self) -> bytes:
        return self.data


class FeedAdminMixin(ImportExportMixin):
    """Import and export buttons on a steward's admin list, for the feed `feed_kind`."""

    feed_kind = ""
    export_kind = ""  # default: the same name as the feed
    export_form_class = ExportForm
    import_form_class = FeedImportForm
    skip_admin_log = True  # the feeds keep their own trail (links: the relation audit)

    def get_resource_classes(self, request):
        return [feed_resource(self.feed_kind, self.export_kind or self.feed_kind)]

    def get_import_formats(self):
        return feed_formats(self.feed_kind)

    def get_export_formats(self):
        return feed_formats(self.feed_kind)

    def has_import_permission(self, request) -> bool:
        return steward(request.user)

    def has_export_permission(self, request) -> bool:
        return steward(request.user)

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, FeedError):
            form.add_error("import_file", e.message)
            form.refusal_status = e.status
        else:
            super().add_data_read_fail_error_to_form(form, e)
            form.refusal_status = 400

    # -- the preview and its confirmation ------------------------------------------------------
    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """import-export's upload and preview; a refused file answers 400 or 413, not 200."""
        response = super().import_action(request, **kwargs)
        status = getattr((getattr(response, "context_data", None) or {}).get("form"), "refusal_status", None)
        if status:
            response.status_code = status
        return response

    def write_to_tmp_storage(self, import_file, input_format) -> HeldUpload:
        # Nothing is kept before the preview succeeds: get_confirm_form_initial keeps it then.
        return HeldUpload(b"".join(import_file.chunks()))

    def get_confirm_form_initial(self, request: HttpRequest, import_form) -> dict:
        """The preview offers a confirm: keep the file for the steward who previewed it, under a random id."""
        if import_form is None:  # the confirm form as posted back (process_import)
            return super().get_confirm_form_initial(request, import_form)
        upload = import_form.cleaned_data["import_file"]
        storage = self.preview_storage(request, file_name=upload.name)
        storage.save(b"".join(upload.chunks()))
        return {**super().get_confirm_form_initial(request, import_form), "import_file_name": storage.name}

    def preview_storage(self, request: HttpRequest, **kwargs):
        """The temporary storage of the settings (pending uploads), for this steward and this list."""
        return self.get_tmp_storage_class()(owner=request.user, purpose=f"admin:{self.feed_kind}", **kwargs)

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """Import a kept preview: only its owner, once, before it expires; anything else is a 400 that says why."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        formats = self.get_import_formats()
        if not confirm_form.is_valid() or confirm_form.cleaned_data["format"] not in map(str, range(len(formats))):
            return self.refused_confirm(request, "This confirmation is incomplete or altered: upload the file again.")
        storage = self.preview_storage(request, name=confirm_form.cleaned_data["import_file_name"])
        try:
            dataset = formats[int(confirm_form.cleaned_data["format"])]().create_dataset(storage.read())
        except FeedError as exc:
            return self.refused_confirm(request, exc.message)
        result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        return self.process_result(result, request)

    def refused_confirm(self, request: HttpRequest, message: str) -> HttpResponse:
        """The import page again (400), with the reason the confirmation was refused."""
        messages.error(request, message)
        # import-export's own upload page, as a GET shows it: the same request without the posted form.
        blank = copy.copy(request)
        blank.method = "GET"
        blank.POST = QueryDict()
        blank._files = MultiValueDict()
        response = self.import_action(blank)
        response.status_code = 400
        return response

    def add_success_message(self, result, request) -> None:
        done: ImportResult = result.feed
        text = (
            f"Imported the {done.kind} file: {done.created:,} created, {done.updated:,} updated, "
            f"{done.unchanged:,} unchanged."
        )
        for counts_of, counts in done.related.items():
            text += f" {counts_of.capitalize()} rows: {counts.created:,} created, {counts.updated:,} updated."
        messages.success(request, " ".join([text, *done.notes]))
        for warning in done.warnings:
            messages.warning(request, warning)
