"""Query-parameter parsing shared by the API views: parse once, fail with a clear 400."""

from rest_framework import serializers


def parse(serializer_class: type[serializers.Serializer], params) -> dict:
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TheatreQuery(serializers.Serializer):
    theatre = serializers.SlugField(help_text="Theatre slug, e.g. syria.")


class RangeQuery(TheatreQuery):
    """Two dates, `from` and `to` (inclusive, `to` not before `from`). `from` is a Python keyword:
    subclasses declare it as `from_`, renamed here."""

    from_ = serializers.DateField(help_text="YYYY-MM-DD.")
    to = serializers.DateField(help_text="YYYY-MM-DD, not before `from`.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if "from" in attrs and "to" in attrs and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": ["Must not be before `from`."]})
        return attrs


def bbox_of(value: str) -> tuple[float, float, float, float]:
    """A `bbox=min_lon,min_lat,max_lon,max_lat` parameter (events, cards), or a clear 400."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise serializers.ValidationError("Give four numbers: min_lon,min_lat,max_lon,max_lat.") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):  # also refuses nan
        raise serializers.ValidationError(
            "Out of range: need -180 <= min_lon < max_lon <= 180 and likewise for latitude."
        )
    return west, south, east, north
