"""The attention API's shapes (docs/DESIGN.md, "JSON names": items with kind, group_id, location_id, value, url)."""

from datetime import date

from rest_framework import serializers

from attention import rules
from attention.models import REASONS, STATES
from attention.services import ACTIONS
from plmtracker.web.dates import day_in_range


class AttentionItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(rules.KINDS), help_text="Which rule raised the item.")
    label = serializers.CharField(help_text="The kind in words.")
    severity = serializers.IntegerField(help_text="1 supply, 2 money, 3 schedule, 4 curation (most urgent first).")
    severity_label = serializers.CharField(help_text="Supply, Money, Schedule or Curation.")
    group_id = serializers.IntegerField()
    group_title = serializers.CharField(help_text="The group's name, else 'first original -> first replacement'.")
    group_status = serializers.ChoiceField(choices=list(rules.STATUSES))
    owner = serializers.CharField(allow_null=True, help_text="'Name <email>' of the group's owner.")
    location_id = serializers.IntegerField(allow_null=True, help_text="Set for go-live items; null otherwise.")
    location_name = serializers.CharField(allow_null=True)
    value = serializers.FloatField(help_text="The figure that triggered the item (days, lines, EA, conflicts).")
    detail = serializers.CharField(help_text="The figure in words.")
    date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day the item is about (go-live, end date, ...)."
    )
    url = serializers.CharField(help_text="The page where it is acted on (a path on this site).")
    key = serializers.CharField(help_text="kind:group_id:location_id (empty location for group items).")
    dollars = serializers.FloatField(
        allow_null=True, help_text="leakage: spend of the priced lines; stranded_now: the stranded value; else null."
    )
    first_seen = serializers.DateField(
        read_only=True, allow_null=True, help_text="The first day of the item's current run (null: not recorded)."
    )
    new = serializers.BooleanField(help_text="first_seen is as_of.")
    state = serializers.ChoiceField(choices=list(STATES), help_text="open, acknowledged, snoozed or dismissed.")
    snooze_until = serializers.DateField(read_only=True, allow_null=True, help_text="Hidden while as_of <= it.")
    reason = serializers.CharField(allow_null=True, help_text="Why it was dismissed.")
    note = serializers.CharField(allow_null=True, help_text="The note of the last state change.")

    def to_representation(self, instance: dict) -> dict:
        """The record's values as they are, days in ISO form: the same JSON as field by field, which cost
        half of a 500-item page (22 fields' conversions per item); the fields still give the schema."""
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in _picked(instance)}


ITEM_FIELDS = tuple(AttentionItemSerializer().fields)


def _picked(record: dict):
    return ((name, record[name]) for name in ITEM_FIELDS)


class AttentionSerializer(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    count = serializers.IntegerField(help_text="Items matching the filters, on every page.")
    page = serializers.IntegerField(help_text="This page, from 1.")
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    items = AttentionItemSerializer(many=True)


class AttentionActionRequestSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=80, help_text="The item's key, as GET /api/attention gives it.")
    action = serializers.ChoiceField(choices=list(ACTIONS))
    until = serializers.DateField(
        required=False, allow_null=True, validators=[day_in_range], help_text="snooze: a day after today."
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="dismiss: " + " | ".join(REASONS) + ".")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AttentionActionResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(rules.KINDS))
    group_id = serializers.IntegerField()
    location_id = serializers.IntegerField(allow_null=True)
    first_seen = serializers.DateField(read_only=True)
    state = serializers.ChoiceField(choices=list(STATES))
    snooze_until = serializers.DateField(read_only=True, allow_null=True)
    reason = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)
