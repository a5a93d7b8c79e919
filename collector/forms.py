"""The /collect form: two picked items and an optional reason."""

from django import forms

from plmtracker.models import Item


class ItemPickField(forms.ModelChoiceField):
    """An item chosen in a typeahead picker: its id travels in a hidden input."""

    def __init__(self, label: str, required_message: str) -> None:
        super().__init__(
            queryset=Item.objects.all(),
            widget=forms.HiddenInput,
            label=label,
            error_messages={
                "required": required_message,
                "invalid_choice": "That item no longer exists; search for it again.",
            },
        )


class CollectForm(forms.Form):
    item = ItemPickField("Item", "Choose the item being replaced.")
    replace = ItemPickField("Replace item", "Choose the item that replaces it.")
    reason = forms.CharField(
        max_length=200,
        required=False,
        help_text="Optional: why, e.g. “Backorder at vendor” or “Contract change 2026”.",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Reason (optional)"}),
    )
    # Asked only when the link would merge two groups; the view refuses such a link without it.
    confirm_merge = forms.BooleanField(required=False)
