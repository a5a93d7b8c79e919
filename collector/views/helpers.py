"""What the collector's pages share: ids and ratios from form input, safe `next` addresses, links to groups,
and the way a steward's form post answers (a message and a redirect) at an address JSON clients share."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.permissions import steward_required
from collector import services
from collector.forms import form_refusal
from plmtracker.web import nul
from plmtracker.web.converters import MAX_ID
from plmtracker.web.http import wants_json

ID_TEXT = re.compile(r"[0-9]{1,10}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses


def int_list(values: Iterable[str]) -> list[int]:
    """The ids among `values` (form or query-string input: whole numbers 1 to MAX_ID), in order, once each.

    A number beyond the id columns' range names nothing; passed on, it would
    overflow the database's integer parameter.
    """
    texts = (str(v).strip() for v in values)
    numbers = (int(t) for t in texts if ID_TEXT.fullmatch(t))
    return list(dict.fromkeys(n for n in numbers if 1 <= n <= MAX_ID))


def int_or_none(value: str | None) -> int | None:
    found = int_list([value or ""])
    return found[0] if found else None


def ratio_or_none(value: str | None):
    """The ratio a form or query string gives, when it is a valid one (the preview ignores others)."""
    try:
        return services.check_ratio(value) if value else None
    except services.GraphError:
        return None


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form asked to go back to, when that is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def group_link(group_id: int, text: str | None = None) -> str:
    url = reverse("collector:group_detail", kwargs={"group_id": group_id})
    return format_html('<a href="{}" class="link-light fw-semibold">{}</a>', url, text or f"Open group {group_id}")


def group_url(group_id: int) -> str:
    return reverse("collector:group_detail", kwargs={"group_id": group_id})


def json_client(request: HttpRequest) -> bool:
    """A client that asks for JSON or sends it (a page's form sends neither)."""
    return wants_json(request) or request.content_type == "application/json"


class Refused(Exception):
    """A form post the page turns down: the message goes back to the page, nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def valid_form(form_class: type[Form], request: HttpRequest) -> Form:
    """The posted form, bound and valid; `Refused` with its first error (as the API words it) if not."""
    form = form_class(request.POST)
    if not form.is_valid():
        raise Refused(form_refusal(form))
    return form


Done = tuple[str, str]  # what a steward's form post did (the message) and where the page goes next


def steward_form_post(back: Callable[..., str]):
    """A steward's form post: 403 page for others; success and refusals alike are a message and a redirect.

    The view returns `(message, where)`. It goes back to the form's `next` when that is on
    this site, else to `where` on success and to `back(**url kwargs)` on a refusal (a rule
    of the services, a form error, an id that names nothing); nothing is written then.
    """

    def decorate(view: Callable[..., Done]):
        @require_POST
        @steward_required
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs) -> HttpResponse:
            if nul.in_form(request):
                return refused(request, nul.MESSAGE, back(**kwargs))
            try:
                message, where = view(request, **kwargs)
            except services.GraphError as exc:
                return refused(request, exc.message, back(**kwargs))
            except Refused as exc:
                return refused(request, exc.message, back(**kwargs))
            except Http404 as exc:
                return refused(request, str(exc) or "Not found.", back(**kwargs))
            messages.success(request, message)
            return redirect(safe_next(request, where))

        return wrapper

    return decorate


def refused(request: HttpRequest, message: str, back: str) -> HttpResponse:
    messages.error(request, message)
    return redirect(safe_next(request, back))


def json_or_page(api_view: Callable, page_view: Callable, page_methods=("POST",)) -> Callable:
    """One address, two answers: the page's view for a browser's form, the API's view for JSON clients.

    The API's view answers JSON clients at a page's address for one more release (with
    `Deprecation`), and every method the page does not take (its 405 lists what the API
    allows). Each side checks CSRF itself (DRF's session authentication, `csrf_protect`).
    """
    page_view = csrf_protect(page_view)

    @csrf_exempt
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if json_client(request) or request.method not in page_methods:
            return api_view(request, *args, **kwargs)
        return page_view(request, *args, **kwargs)

    view.page_view, view.api_view = page_view, api_view
    view.refuses_nul = True  # a multipart form's NUL: the API's parser or the page's form post refuses it
    return view
