from django import template

from attention.models import DigestOptOut

register = template.Library()


@register.simple_tag
def digest_enabled(user) -> bool:
    """Whether `user` gets the daily attention digest (on unless they turned it off)."""
    return not DigestOptOut.objects.filter(user_id=user.pk).exists()


@register.filter
def attention_rows(rows, markup):
    """The attention table's paginated rows written by the page's `attention.markup.RowMarkup`."""
    return markup.table_rows(rows)


@register.filter
def attention_fold_rows(records, markup):
    """A folded row's locations written by the page's `attention.markup.RowMarkup`."""
    return markup.fold_rows(records)
