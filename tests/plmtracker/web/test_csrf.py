"""CSRF: forms and JSON calls without the token are refused with 403 and change nothing."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import include, path, reverse
from rest_framework.response import Response
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db


class Ping(APIView):
    """A JSON endpoint with the project's DRF defaults (session auth, logged-in users)."""

    def post(self, request):
        return Response({"received": request.data})


urlpatterns = [path("api/ping", Ping.as_view()), path("", include("plmtracker.urls"))]


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_page_form_without_token_gets_the_error_page(strict_client, planner):
    strict_client.get(reverse("accounts:login"))  # the browser has the cookie, the forged form lacks the field
    response = strict_client.post(
        reverse("accounts:login"), {"username": planner.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Request refused" in page
    assert "CSRF token missing" in page
    assert 'class="navbar' in page  # the site's layout, not Django's bare page
    assert SESSION_KEY not in strict_client.session


@pytest.mark.parametrize(
    "how",
    [{"headers": {"accept": "application/json"}}, {"data": {}, "content_type": "application/json"}],
    ids=["accept", "sends-json"],
)
def test_a_json_client_without_token_gets_json(strict_client, planner, how):
    strict_client.force_login(planner)
    strict_client.get(reverse("accounts:account"))
    response = strict_client.post(reverse("accounts:logout"), **how)
    assert response.status_code == 403
    assert response.json() == {
        "error": "The request was refused by the CSRF check (CSRF token missing) and nothing was changed. "
        "Reload the page and try again; scripts send the page's token in the X-CSRFToken header."
    }
    assert SESSION_KEY in strict_client.session  # still logged in


@pytest.mark.urls(__name__)
def test_the_json_api_needs_the_token_in_the_header(strict_client, planner):
    strict_client.force_login(planner)
    response = strict_client.post("/api/ping", {"n": 1}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"error": "CSRF Failed: CSRF cookie not set."}

    strict_client.get(reverse("accounts:account"))  # a page hands out the token
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        "/api/ping", {"n": 1}, content_type="application/json", headers={"x-csrftoken": token}
    )
    assert response.status_code == 200
    assert response.json() == {"received": {"n": 1}}
