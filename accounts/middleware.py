from django.contrib.auth import middleware
from django.http import JsonResponse

from plmtracker.http import wants_json


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's login requirement, answering JSON clients with 401 instead of a login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Public views (login, health check) never load the session: they keep
        # working, and answering for themselves, while the database is down.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if wants_json(request):
            return JsonResponse({"error": "Authentication required: log in first."}, status=401)
        return super().handle_no_permission(request, view_func)
