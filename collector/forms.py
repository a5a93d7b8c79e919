"""The collector's page forms: /collect (two picked items, a ratio, a reason) and the stewards' actions."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS

from collector.models import GROUP_STATUSES, MEMBER_ROLES, USE_UP_POLICIES
from plmtracker.inventory.models import Item
from plmtracker.web.converters import MAX_ID
from plmtracker.web.dates import day_in_range
from plmtracker.web.validators import refuse_control_characters


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
        validators=[refuse_control_characters],
        help_text="Optional: why, e.g. “Backorder at vendor” or “Contract change 2026”.",
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "Reason (optional)"}),
    )
    ratio = forms.DecimalField(
        max_digits=15,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        initial=1,
        required=False,
        label="Ratio",
        help_text="Replacement eaches per original each: 2 gauze 2x2 = 1 gauze 4x4 is 0.5.",
        error_messages={"min_value": "The ratio must be more than 0.", "invalid": "The ratio must be a number."},
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "any", "min": "0", "inputmode": "decimal"}),
    )

    def clean_ratio(self) -> Decimal:
        """An empty ratio is 1, as in the feeds."""
        return self.cleaned_data["ratio"] or Decimal(1)

    # Asked only when the link would merge two groups; the view refuses such a link without it.
    confirm_merge = forms.BooleanField(required=False)


class GoLivePreviewForm(forms.Form):
    """The go-live table's question before a save: this date, at this location (none: every empty one)."""

    go_live_date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[day_in_range],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    location_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


# --------------------------------------------------------------------------
# A steward's action posted from a group or the conflicts page: the same fields, limits and
# wording as the JSON API's serializers, so a refusal reads the same on a page as in JSON.


def form_refusal(form: forms.Form) -> str:
    """The first error of a bound, invalid form, as the API words it ("field: message")."""
    field, errors = next(iter(form.errors.items()))
    return errors[0] if field == NON_FIELD_ERRORS else f"{field}: {errors[0]}"


def text_field(max_length: int) -> forms.CharField:
    return forms.CharField(
        max_length=max_length,
        required=False,
        validators=[refuse_control_characters],
        error_messages={"max_length": "Ensure this field has no more than %(limit_value)d characters."},
    )


def choice_field(choices, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=choices,
        required=required,
        error_messages={"invalid_choice": '"%(value)s" is not a valid choice.', "required": "This field is required."},
    )


def reason_field() -> forms.CharField:
    return text_field(200)


class ReasonForm(forms.Form):
    """Why, kept in the history (optional): link removal, keeping a conflict."""

    reason = reason_field()


class RoleForm(ReasonForm):
    """original, replacement, or empty for none; the field must be sent, even empty."""

    role = choice_field([("", "No role"), *MEMBER_ROLES], required=False)

    def clean_role(self) -> str | None:
        if "role" not in self.data:
            raise forms.ValidationError("This field is required.")
        return self.cleaned_data["role"] or None


class MoveForm(forms.Form):
    direction = choice_field([("up", "Promote"), ("down", "Demote")])


DATE_FORMAT = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
WHOLE_NUMBER = "A valid integer is required."


def day_field() -> forms.DateField:
    return forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=[day_in_range], error_messages={"invalid": DATE_FORMAT}
    )


class PartialForm(forms.Form):
    """Fields left out of the post stay as they are; a sent, empty one clears what may be empty (NULLABLE)."""

    NULLABLE: tuple[str, ...] = ()

    def __init__(self, data, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        for name, field in self.fields.items():
            field.required = name in data and name not in self.NULLABLE

    def changes(self) -> dict:
        return {
            name: (None if value in ("", None) and name in self.NULLABLE else value)
            for name, value in self.cleaned_data.items()
            if name in self.data
        }


class GroupFieldsForm(PartialForm):
    """A group's fields as the list's "new group" form and the settings panel post them."""

    status = choice_field(GROUP_STATUSES)
    reason = reason_field()
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        to_field_name="email",
        required=False,
        error_messages={"invalid_choice": "Object with email=%(value)s does not exist."},
    )
    start_date = day_field()
    end_date = day_field()
    name = text_field(120)
    use_up_policy = choice_field(USE_UP_POLICIES)
    last_order_date = day_field()

    NULLABLE = ("owner", "start_date", "end_date", "reason", "name", "last_order_date")


class GroupSettingsForm(GroupFieldsForm):
    change_reason = reason_field()

    NULLABLE = (*GroupFieldsForm.NULLABLE, "change_reason")


class MergeForm(ReasonForm):
    target_group_id = forms.IntegerField(
        min_value=1, max_value=MAX_ID, error_messages={"invalid": WHOLE_NUMBER, "required": WHOLE_NUMBER}
    )


class IdListField(forms.Field):
    """Ids ticked in a list of check boxes (one value each)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        ids = []
        for text in value or []:
            try:
                number = int(str(text).strip())
            except ValueError:
                raise forms.ValidationError(WHOLE_NUMBER) from None
            if not 1 <= number <= MAX_ID:
                raise forms.ValidationError(f"Ensure this value is between 1 and {MAX_ID}.")
            ids.append(number)
        return ids


class SplitForm(ReasonForm):
    item_ids = IdListField(error_messages={"required": "This field is required."})
    allow_alone = forms.BooleanField(required=False)


class PlanForm(PartialForm):
    """The plan panel: name, policy and dates; fields left out stay as they are."""

    name = text_field(120)
    use_up_policy = choice_field(USE_UP_POLICIES)
    start_date = day_field()
    last_order_date = day_field()
    end_date = day_field()
    reason = reason_field()

    NULLABLE = ("name", "start_date", "last_order_date", "end_date", "reason")


class LocationPlanForm(forms.Form):
    """One row of the go-live table, as its inline form posts it: empty clears."""

    go_live_date = day_field()
    note = text_field(400)

    def clean_note(self) -> str | None:
        return self.cleaned_data["note"] or None


class FillEmptyForm(forms.Form):
    go_live_date = day_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["go_live_date"].required = True
        self.fields["go_live_date"].error_messages["required"] = "This field is required."
