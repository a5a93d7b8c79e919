"""The API schema documents the session login every endpoint uses."""

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.response import Response
from rest_framework.views import APIView


class Echo(APIView):
    """An endpoint with the project's DRF defaults."""

    def post(self, request):
        return Response({})


urlpatterns = [path("api/echo", Echo.as_view())]


@pytest.mark.urls(__name__)
def test_every_endpoint_names_the_session_cookie_login(settings):
    schema = SchemaGenerator(urlconf=__name__).get_schema(request=None, public=True)
    scheme = schema["components"]["securitySchemes"]["cookieAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "cookie", settings.SESSION_COOKIE_NAME)
    assert "X-CSRFToken" in scheme["description"]
    assert schema["paths"]["/api/echo"]["post"]["security"] == [{"cookieAuth": []}]
