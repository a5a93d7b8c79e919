"""The attention list's filters, validated once for the page, its CSV and the JSON API."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.permissions import is_steward
from attention import rules
from attention.memory import LISTED
from attention.models import STATES
from attention.services import ACTIONS
from collector.choices import GroupStatus
from collector.models import ItemGroup
from plmtracker.web.dates import day_in_range

KIND_CHOICES = [(kind, label) for kind, (_, label) in rules.KINDS.items()]
STATUS_CHOICES = [(status, GroupStatus(status).label) for status in rules.STATUSES]
STATE_CHOICES = [("", "Open and acknowledged"), *((s, s.capitalize()) for s in STATES), ("all", "Every state")]
SEVERITY_CHOICES = [("", "Any class"), *((str(n), label) for n, label in rules.SEVERITIES.items())]
SELECT = {"class": "form-select form-select-sm"}
PAGE_SIZE = 100  # items per page of the JSON
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000


class AttentionFilterForm(forms.Form):
    """`as_of` (default today), `kind`, `owner` (an e-mail, "me" or "all"), `status`, `state`, `new`, `severity`,
    `location` (an id).

    `owner` left out is "me" for a planner who owns a group (their own list first), else everyone's.
    """

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
    state = forms.ChoiceField(
        required=False,
        choices=STATE_CHOICES,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "State must be open, acknowledged, snoozed, dismissed or all."},
    )
    severity = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=SEVERITY_CHOICES,
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": "Severity must be 1 (supply), 2 (money), 3 (schedule) or 4 (curation)."},
    )
    location = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "placeholder": "Location id"}),
        error_messages={"invalid": "A location is given by its id, a whole number."},
    )
    new = forms.BooleanField(
        required=False, label="New today only", widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, data, user=None, **kwargs):
        # The day left out is today, and the date input shows it.
        if not data.get("as_of") or "owner" not in data:
            data = data.copy()
            data["as_of"] = data.get("as_of") or timezone.localdate().isoformat()
            if "owner" not in data:
                data["owner"] = default_owner(user)
        super().__init__(data, **kwargs)
        self.user = user
        # EXISTS, not a join made DISTINCT: every group's owner row joined cost 6 ms at `large` (12,000 groups).
        owned = Exists(ItemGroup.objects.filter(owner=OuterRef("pk")))
        owners = get_user_model().objects.filter(owned).order_by("name", "email")
        choices = [("all", "Any owner"), ("me", "My groups")]
        choices += [(u.email, f"{u.name} <{u.email}>" if u.name else u.email) for u in owners]
        self.fields["owner"].widget.choices = choices

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()

    def clean_owner(self):
        value = (self.cleaned_data.get("owner") or "").strip()
        if value in ("", "all"):
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

    def shown(self) -> dict:
        """Keyword arguments for `attention.views.records` beyond `query()`: states, new only, severity, location."""
        data = self.cleaned_data
        state = data.get("state") or ""
        states = LISTED if not state else (STATES if state == "all" else (state,))
        return {
            "states": states,
            "new_only": bool(data.get("new")),
            "severity": data.get("severity"),
            "location_id": data.get("location"),
        }

    @property
    def day(self):
        """The cleaned as_of (today when left out)."""
        return self.cleaned_data["as_of"]

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


def default_owner(user) -> str:
    """ "me" for a planner who owns a group, else "all": stewards and planners without groups see everything."""
    if user is None or not user.is_authenticated or is_steward(user):
        return "all"
    return "me" if ItemGroup.objects.filter(owner_id=user.pk).exists() else "all"


class AttentionPageForm(forms.Form):
    """The JSON's `page` and `page_size`."""

    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": "page must be a whole number.",
            "min_value": "page starts at 1.",
            "max_value": f"page is at most {MAX_PAGE:,}.",
        },
    )
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": "page_size must be a whole number.",
            "min_value": "page_size is at least 1.",
            "max_value": f"page_size is at most {MAX_PAGE_SIZE}.",
        },
    )

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class AttentionActionForm(forms.Form):
    """A row's or the bulk bar's action (the keys are read as a list beside it)."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ACTIONS],
        error_messages={"required": "Choose an action.", "invalid_choice": "There is no action %(value)s."},
    )
    until = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[day_in_range],
        error_messages={"invalid": "Snooze until a date written YYYY-MM-DD."},
    )
    reason = forms.CharField(required=False, max_length=20)
    note = forms.CharField(required=False, max_length=500)

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""
