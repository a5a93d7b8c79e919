from django.urls import path

from collector import bulk

app_name = "collector"

urlpatterns: list = [
    path("collect/bulk", bulk.bulk_upload, name="bulk"),
    path("api/collect/bulk", bulk.BulkUploadApi.as_view(), name="api_bulk"),
]
