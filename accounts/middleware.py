from django.contrib.auth import middleware
from django.http import JsonResponse

from plmtracker.http import wants_json


class LoginRequiredMiddleware(middleware.LoginRequiredMiddleware):
    """Django's login requirement, answering JSON clients with 401 instead of a login page."""

    def handle_no_permission(self, request, view_func):
        if wants_json(request):
            return JsonResponse({"error": "Authentication required: log in first."}, status=401)
        return super().handle_no_permission(request, view_func)
