"""The OpenAPI schema and its docs page, served without any CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3(planner_client):
    response = planner_client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "PLM Conversion Tracker API"


def test_docs_page_loads_swagger_from_our_own_static_files(planner_client):
    response = planner_client.get("/api/docs/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in a for a in assets)
    assert all(not a.startswith(("http://", "https://", "//")) for a in assets), assets
