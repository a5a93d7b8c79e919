from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView

from plmtracker.web import views
from plmtracker.web.converters import IdConverter, LocationNumberConverter

# Before the apps' urls are included: they use <id:...> for the ids in their paths and
# <location:...> for location numbers, never Django's unbounded <int:...>.
register_converter(IdConverter, "id")
register_converter(LocationNumberConverter, "location")

admin.site.site_header = "PLM Conversion Tracker admin"
admin.site.site_title = "PLM Conversion Tracker"
admin.site.index_title = "Curation and master data"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="api_schema"),
    path("api/docs/", views.api_docs, name="api_docs"),
    path("", include("accounts.urls")),
    path("", include("collector.urls")),
    path("", include("dashboard.urls")),
    path("", include("attention.urls")),
]

handler400 = "plmtracker.web.views.bad_request"
handler403 = "plmtracker.web.views.forbidden"
handler404 = "plmtracker.web.views.not_found"
handler500 = "plmtracker.web.views.server_error"
