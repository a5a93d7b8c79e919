"""Security headers: the Content-Security-Policy and Cache-Control (issue 13, findings 1 and 10)."""

import runpy
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[3]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/dashboard", "/collect", "/groups", "/account", "/admin/", "/api/docs/", "/dashboard/export.csv", "/api/groups"],
)
def test_every_answer_carries_the_policy_and_no_store(planner_client, path):
    response = planner_client.get(path, headers={"Accept": "text/html"} if "docs" in path else {})
    assert response.status_code in (200, 302, 404), path
    assert directives(response) == POLICY
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_json_and_exports_are_not_stored(planner_client, steward_client):
    kpis = planner_client.get("/api/groups/1/kpis")  # a 404 body is as private as a 200 one
    export = steward_client.get("/dashboard/export.xlsx")
    assert kpis["Content-Type"] == "application/json" and export.status_code == 200
    assert kpis["Cache-Control"] == "no-store" and export["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_login_page_and_error_pages_are_not_stored():
    client = Client()
    for response in (client.get("/login"), client.get("/dashboard/export.pdf", follow=True)):
        assert "no-store" in response["Cache-Control"]
        assert directives(response)["script-src"] == "'self'"


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True, WHITENOISE_MAX_AGE=3600)
def test_static_files_keep_their_caching():
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=3600, public"


@pytest.mark.parametrize(
    ("env", "bind"),
    [({}, "127.0.0.1:8000"), ({"PORT": "9000"}, "127.0.0.1:9000"), ({"BIND": "0.0.0.0:8000"}, "0.0.0.0:8000")],
)
def test_gunicorn_listens_on_loopback_unless_told(monkeypatch, env, bind):
    for name in ("BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == bind
