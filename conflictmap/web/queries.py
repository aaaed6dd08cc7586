"""Query-parameter parsing shared by the API views: parse once, fail with a clear 400."""

from rest_framework import exceptions, serializers

from conflictmap.atlas.models import Theatre


def parse(serializer_class: type[serializers.Serializer], params) -> dict:
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def theatre_or_404(slug: str) -> Theatre:
    try:
        return Theatre.objects.defer("boundary").get(slug=slug)  # a country outline: loaded if used
    except Theatre.DoesNotExist:
        known = ", ".join(Theatre.objects.values_list("slug", flat=True)) or "none yet"
        raise exceptions.NotFound(f"Unknown theatre {slug!r}. Known theatres: {known}.") from None


class TheatreQuery(serializers.Serializer):
    theatre = serializers.SlugField(help_text="Theatre slug, e.g. syria.")
