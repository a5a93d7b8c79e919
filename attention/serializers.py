"""The attention API's shapes (docs/DESIGN.md, "JSON names": items with kind, group_id, location_id, value, url)."""

from rest_framework import serializers

from attention import rules


class AttentionItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(rules.KINDS), help_text="Which rule raised the item.")
    label = serializers.CharField(help_text="The kind in words.")
    severity = serializers.IntegerField(help_text="1 supply, 2 money, 3 schedule, 4 curation (most urgent first).")
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


class AttentionSerializer(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    count = serializers.IntegerField()
    items = AttentionItemSerializer(many=True)
