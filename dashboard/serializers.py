"""The JSON API's response shapes: plain numbers (null where undefined) and ISO dates.

They render the dicts `dashboard.queries` builds, so the OpenAPI schema is the
shape the endpoints really send.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["ALL"]}]})
class LocationParamField(serializers.Field):
    """The location the figures are for: a location number, or "ALL"."""

    def to_representation(self, value):
        return value


def number(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(**kwargs)


def undefined_or_number(help_text: str) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


RUN_OUT = (
    "as_of + floor(on_hand / burn) days; null when burn is 0 or when that day is more than 10 years (3,652 days) "
    "away (then run_out_beyond_horizon is true)."
)
BEYOND = "True when the stock outlasts the 10-year horizon at the current burn (run_out_date is then null)."


def run_out_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(allow_null=True, help_text=RUN_OUT, **kwargs)


def beyond_field() -> serializers.BooleanField:
    return serializers.BooleanField(help_text=BEYOND)


class KpiBlockSerializer(serializers.Serializer):
    on_hand_ea = number(help_text="Sum of item_location.on_hand_ea.")
    burn_ea_per_day = number(help_text="Sum of the latest burn rate on or before as_of per stocked item and location.")
    coverage_days = undefined_or_number("on_hand_ea / burn_ea_per_day; null when burn is 0.")
    po_qty_90d = number(help_text="PO quantity (EA) with as_of - 90 days <= po_date <= as_of; all locations.")
    po_spend_90d = number(help_text="Sum of qty_ea * price over the same lines; lines without a price add 0.")


class MemberKpiSerializer(KpiBlockSerializer):
    item_id = serializers.IntegerField()
    erp_item_code = serializers.CharField()
    role = serializers.ChoiceField(choices=["original", "replacement"], allow_null=True)


class GroupLocationSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    location_type = serializers.CharField()
    original_on_hand_ea = number()
    original_burn_ea_per_day = number()
    original_coverage_days = undefined_or_number("null when the originals have no burn here.")
    original_run_out_date = run_out_field()
    original_run_out_beyond_horizon = beyond_field()
    replacement_on_hand_ea = number()
    original_stocked = serializers.BooleanField()
    replacement_stocked = serializers.BooleanField()


class StrandedSerializer(serializers.Serializer):
    end_date = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True, help_text="max(0, end_date - as_of); null without end date.")
    on_hand_ea = undefined_or_number("Original on-hand left at end_date at the current burn, per stocked location.")
    value = undefined_or_number("The stranded EA at each item's latest priced PO line on or before as_of.")


class LeakageSerializer(serializers.Serializer):
    since = serializers.DateField(allow_null=True, help_text="The group's start_date.")
    po_qty = undefined_or_number("PO quantity on originals with start_date < po_date <= as_of.")
    po_spend = undefined_or_number("PO spend on the same lines.")


class GroupKpisSerializer(serializers.Serializer):
    group_id = serializers.IntegerField()
    as_of = serializers.DateField()
    location_id = LocationParamField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    original = KpiBlockSerializer()
    replacement = KpiBlockSerializer()
    readiness_pct = undefined_or_number("Share (0-100) of the originals' locations where a replacement is stocked.")
    original_locations = serializers.IntegerField()
    ready_locations = serializers.IntegerField()
    items = MemberKpiSerializer(many=True)
    locations = GroupLocationSerializer(many=True)
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()
    stranded = StrandedSerializer()
    leakage = LeakageSerializer()


class ItemLocationSerializer(serializers.Serializer):
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    location_type = serializers.CharField()
    on_hand_ea = number()
    burn_ea_per_day = number()
    coverage_days = undefined_or_number("null when burn is 0.")
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()


class ItemKpisSerializer(KpiBlockSerializer):
    item_id = serializers.IntegerField()
    erp_item_code = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    role = serializers.ChoiceField(choices=["original", "replacement"], allow_null=True)
    as_of = serializers.DateField()
    location_id = LocationParamField()
    run_out_date = run_out_field()
    run_out_beyond_horizon = beyond_field()
    locations = ItemLocationSerializer(many=True)


class GroupOnHandPoint(serializers.Serializer):
    date = serializers.DateField()
    original_on_hand_ea = number()
    replacement_on_hand_ea = number()


class GroupBurnPoint(serializers.Serializer):
    date = serializers.DateField()
    original_burn_ea_per_day = number()
    replacement_burn_ea_per_day = number()


class GroupPoWeek(serializers.Serializer):
    date = serializers.DateField(help_text="The Monday the week starts on.")
    original_po_qty = number()
    original_po_spend = number()
    replacement_po_qty = number()
    replacement_po_spend = number()


class SeriesWindow(serializers.Serializer):
    location_id = LocationParamField()
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


class GroupTimeseriesSerializer(SeriesWindow):
    group_id = serializers.IntegerField()
    on_hand = GroupOnHandPoint(many=True, help_text="On-hand per day from the snapshots.")
    burn = GroupBurnPoint(many=True, help_text="Burn rate rows summed per day.")
    po_weekly = GroupPoWeek(many=True, help_text="PO quantity and spend per week (all locations).")


class ItemOnHandPoint(serializers.Serializer):
    date = serializers.DateField()
    on_hand_ea = number()


class ItemBurnPoint(serializers.Serializer):
    date = serializers.DateField()
    burn_ea_per_day = number()


class ItemPoWeek(serializers.Serializer):
    date = serializers.DateField(help_text="The Monday the week starts on.")
    po_qty = number()
    po_spend = number()


class ItemTimeseriesSerializer(SeriesWindow):
    item_id = serializers.IntegerField()
    on_hand = ItemOnHandPoint(many=True)
    burn = ItemBurnPoint(many=True)
    po_weekly = ItemPoWeek(many=True)
