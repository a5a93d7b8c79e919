def roles(request):
    """Expose the signed-in user's role to every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": None, "is_steward": False}
    return {"user_role": user.role, "is_steward": user.is_steward}
