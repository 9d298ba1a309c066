from rest_framework import serializers


class SeriesSerializer(serializers.Serializer):
    title = serializers.CharField()
    rows = serializers.ListField(child=serializers.CharField(), help_text="A label for each row (a bar).")
    groups = serializers.ListField(child=serializers.CharField(), help_text="The groups stacked in each bar.")
    values = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()), help_text="Per group, a value a row."
    )


class SpreadSerializer(serializers.Serializer):
    label = serializers.CharField()
    decided = serializers.IntegerField(help_text="How many first decisions it is drawn from.")
    median = serializers.FloatField(help_text="Days from submission to decision.")
    lower = serializers.FloatField(help_text="The first quartile, in days.")
    upper = serializers.FloatField(help_text="The third quartile, in days.")
    longest = serializers.FloatField()


class DashboardSerializer(serializers.Serializer):
    caseload = SeriesSerializer()
    outcomes = SeriesSerializer()
    outcomes_by_mission = SeriesSerializer()
    opinions = SeriesSerializer()
    time_to_decision = SpreadSerializer(many=True)
    conditions = SeriesSerializer()
    impact = SeriesSerializer()
    flags = SeriesSerializer()
    counted = serializers.DictField(child=serializers.IntegerField(), help_text="Cases and decisions counted.")
