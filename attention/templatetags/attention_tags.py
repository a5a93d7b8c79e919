from django import template

from attention.models import DigestOptOut

register = template.Library()


@register.simple_tag
def digest_enabled(user) -> bool:
    """Whether `user` gets the daily attention digest (on unless they turned it off)."""
    return not DigestOptOut.objects.filter(user_id=user.pk).exists()
