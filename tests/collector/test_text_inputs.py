"""Text in JSON bodies, query strings and forms: control characters are refused with a 400, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collector.models import ItemLink
from tests.collector.conftest import link

pytestmark = pytest.mark.django_db
BAD_TEXT = ["a\x00b", "\x00", "a\x01b", "a\x1bb", "a\x7fb", "\ud800", "x\udfffy"]
IN_URLS = [t for t in BAD_TEXT if not any("\ud800" <= c <= "\udfff" for c in t)]  # a URL cannot carry a surrogate


@pytest.mark.parametrize("text", BAD_TEXT)
def test_link_reason(planner_api, items, text):
    response = planner_api.post(
        reverse("collector:api_link"),
        {"item": items[0].erp_item_code, "replace": items[1].erp_item_code, "reason": text},
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert "reason" in error or "NUL" in error  # the field's rule, or the JSON parser's refusal of NUL
    assert not ItemLink.objects.exists()


@pytest.mark.parametrize("text", BAD_TEXT)
def test_link_codes(planner_api, items, text):
    response = planner_api.post(reverse("collector:api_link"), {"item": text, "replace": items[1].erp_item_code})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error.startswith("item") or "NUL" in error


@pytest.mark.parametrize("text", IN_URLS)
def test_preview_query(planner_api, items, text):
    response = planner_api.get(reverse("collector:api_preview"), item=text, replace=items[1].erp_item_code)
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("text", BAD_TEXT)
def test_steward_reasons(steward_api, items, text):
    group = link(items[0], items[1]).group_id
    link(items[0], items[2])
    for url, body in (
        (reverse("collector:group_update", args=[group]), {"reason": text}),
        (reverse("collector:group_update", args=[group]), {"change_reason": text}),
        (reverse("collector:conflict_resolve", args=[items[0].pk]), {"reason": text}),
    ):
        response = steward_api.post(url, body)
        assert response.status_code == 400, (url, body, response.content)


@pytest.mark.parametrize("text", IN_URLS)
def test_collect_form_reason(planner_client, items, text):
    response = planner_client.post(
        reverse("collector:collect"), {"item": items[0].pk, "replace": items[1].pk, "reason": text}
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    # The form's rule, or (a NUL) the site-wide refusal, as for a url-encoded form.
    assert "control character" in page or page == "Text cannot contain NUL characters (\\x00)."
    assert not ItemLink.objects.exists()
