from django.urls import path

from attention import api, views

app_name = "attention"

urlpatterns = [
    path("attention", views.attention, name="attention"),
    path("attention/count", views.badge, name="badge"),
    path("attention/fold", views.fold_rows, name="fold"),
    path("attention/actions", views.act, name="act"),
    path("account/digest", views.digest_preference, name="digest_preference"),
    path("api/attention", api.AttentionApi.as_view(), name="api_attention"),
    path("api/attention/actions", api.AttentionActionsApi.as_view(), name="api_attention_actions"),
]
