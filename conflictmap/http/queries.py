"""Query-parameter parsing shared by the API views: parse once, fail with a clear 400."""

from rest_framework import serializers


def parse(serializer_class: type[serializers.Serializer], params) -> dict:
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TheatreQuery(serializers.Serializer):
    theatre = serializers.SlugField(help_text="Theatre slug, e.g. syria.")
