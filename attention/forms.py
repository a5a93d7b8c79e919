"""The attention list's filters, validated once for the page, its CSV and the JSON API."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from attention import rules
from collector.choices import GroupStatus
from plmtracker.web.dates import day_in_range

KIND_CHOICES = [(kind, label) for kind, (_, label) in rules.KINDS.items()]
STATUS_CHOICES = [(status, GroupStatus(status).label) for status in rules.STATUSES]
SELECT = {"class": "form-select form-select-sm"}


class AttentionFilterForm(forms.Form):
    """`as_of` (default today), `kind` (any of the rule names), `owner` (an e-mail or "me"), `status`."""

    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
        validators=[day_in_range],
        error_messages={"invalid": "The day must be a date written YYYY-MM-DD."},
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Any kind"), *KIND_CHOICES],
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "There is no attention kind %(value)s."},
    )
    owner = forms.CharField(
        required=False,
        max_length=254,
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Draft and active"), *STATUS_CHOICES],
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Group status must be draft or active, not %(value)s."},
    )

    def __init__(self, data, user=None, **kwargs):
        # The day left out is today, and the date input shows it.
        if not data.get("as_of"):
            data = data.copy()
            data["as_of"] = timezone.localdate().isoformat()
        super().__init__(data, **kwargs)
        self.user = user
        owners = get_user_model().objects.filter(owned_groups__isnull=False).distinct().order_by("name", "email")
        choices = [("", "Any owner"), ("me", "My groups")]
        choices += [(u.email, f"{u.name} <{u.email}>" if u.name else u.email) for u in owners]
        self.fields["owner"].widget.choices = choices

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()

    def clean_owner(self):
        value = (self.cleaned_data.get("owner") or "").strip()
        if not value:
            return None
        if value == "me":
            return self.user.pk if self.user is not None and self.user.is_authenticated else None
        if "\x00" in value:
            raise forms.ValidationError("An owner is named by e-mail address.")
        owner = get_user_model().objects.filter(email__iexact=value).values_list("pk", flat=True).first()
        if owner is None:
            raise forms.ValidationError("No user has the e-mail address given as owner.")
        return owner

    def query(self) -> dict:
        """Keyword arguments for `attention.queries.attention_items`."""
        data = self.cleaned_data
        return {
            "kinds": [data["kind"]] if data.get("kind") else None,
            "owner_id": data.get("owner"),
            "statuses": [data["status"]] if data.get("status") else None,
        }

    @property
    def day(self):
        """The cleaned as_of (today when left out)."""
        return self.cleaned_data["as_of"]

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""
