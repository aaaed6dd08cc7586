"""GET /api/v1/exports/control/, /exports/events/ and /exports/history/: published data as files
to download. What a file holds is exports/tables.py's to say, how it is written exports/formats.py's.
"""

import shutil
import tempfile
from pathlib import Path

from django.http import FileResponse
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from conflictmap.atlas.api import theatre_or_404
from conflictmap.exports.formats import FORMATS, HISTORY_FORMATS, LAYER_FORMATS, refusal, write
from conflictmap.exports.stored import newest, state_of
from conflictmap.exports.tables import Export, control_at, events_between, one_snapshot
from conflictmap.exports.tasks import ask_for
from conflictmap.http.errors import FormatIsAParameter
from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.territory.models import LayerBuild

WRITING_RETRY_SECONDS = 60


def format_field(choices: tuple[str, ...]) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices,
        default=choices[0],
        help_text=f"The file's format: {', '.join(choices)}.",
        error_messages={"invalid_choice": f"Unknown format {{input!r}}: use one of {', '.join(choices)}."},
    )


class ControlExportQuery(TheatreQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD. Any date from the theatre's start date on.")
    format = format_field(LAYER_FORMATS)


class EventExportQuery(TheatreQuery):
    # `from` is a Python keyword, so the field is declared under another name and renamed below.
    from_ = serializers.DateField(help_text="First date, inclusive (YYYY-MM-DD).")
    to = serializers.DateField(help_text="Last date, exclusive (YYYY-MM-DD).")
    format = format_field(LAYER_FORMATS)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": ["Must be after `from` (the range is [from, to))."]})
        return attrs


class HistoryExportQuery(TheatreQuery):
    format = format_field(HISTORY_FORMATS)


WRITING = OpenApiResponse(
    inline_serializer("HistoryBeingWritten", {"status": serializers.CharField(), "message": serializers.CharField()}),
    description="No file written yet: one is being written; ask again after `Retry-After` seconds.",
)


def documented(query: type[serializers.Serializer], formats: tuple[str, ...], what: str, extra=None):
    """The schema of an export: one 200 per format's media type (GeoJSON an object, KML any XML,
    the others bytes), and `extra` ({status: JSON response}). 400 and 404 are added to every operation
    by http/openapi.py."""
    kinds = {"geojson": OpenApiTypes.OBJECT, "kml": OpenApiTypes.ANY}
    responses = {
        (200, FORMATS[name].content_type.split(";")[0]): OpenApiResponse(
            kinds.get(name, OpenApiTypes.BINARY), description=f"{what} ({name}), as an attachment."
        )
        for name in formats
    }
    responses.update({(status, "application/json"): response for status, response in (extra or {}).items()})
    return extend_schema(parameters=[query], responses=responses)


def attachment(export: Export, name: str) -> FileResponse:
    """The file, written in a folder of its own that is gone once it is open: it streams from
    the open file, deleted on disk, and nothing is left behind if the client goes away."""
    folder = Path(tempfile.mkdtemp(prefix="conflictmap-export-"))
    try:
        path = write(export, name, folder)
        handle = path.open("rb")
    finally:
        shutil.rmtree(folder)
    return FileResponse(handle, as_attachment=True, filename=path.name, content_type=FORMATS[name].content_type)


class ExportView(APIView):
    content_negotiation_class = FormatIsAParameter


@documented(ControlExportQuery, LAYER_FORMATS, "Who controls what on the date")
class ControlExport(ExportView):
    def get(self, request):
        """The control layer at a date as a file: one (Multi)Polygon per controller with `faction_id`,
        `faction` (slug; null for "No data"), name, short_name, kind, color, area_km2, gained_km2 and
        lost_km2, the interval [valid_from, valid_to) the layer holds for, `change_ids` (the published
        changes that made the area) and their `sources` (JSON). The areas are the control API's."""
        query = parse(ControlExportQuery, request.query_params)
        theatre, date = theatre_or_404(query["theatre"]), query["date"]
        if date < theatre.start_date:
            raise exceptions.NotFound(
                f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}, the start of its record."
            )
        with one_snapshot():
            export = control_at(theatre, date)
            if export is None:
                raise exceptions.NotFound(f"No published control layer of {theatre.name} covers {date:%Y-%m-%d} yet.")
            return attachment(export, query["format"])


@documented(EventExportQuery, LAYER_FORMATS, "The published events of [from, to)")
class EventExport(ExportView):
    def get(self, request):
        """The published events of [from, to) as a file, in date order: id, external_id, date,
        date_precision, title, description (Markdown), type, type_label, place, actors (slugs),
        actor_names, fatalities, confidence, sources (JSON). Events citing ACLED are left out, as
        its terms ask; the file says how many. GeoJSON and KML take at most EXPORT_MAX_FEATURES
        (100,000 unless set) events: more is a 400 that names the formats that take them."""
        query = parse(EventExportQuery, request.query_params)
        theatre = theatre_or_404(query["theatre"])
        with one_snapshot():
            export = events_between(theatre, query["from"], query["to"])
            if reason := refusal(export, query["format"]):
                raise serializers.ValidationError({"format": [reason]})
            return attachment(export, query["format"])


@documented(HistoryExportQuery, HISTORY_FORMATS, "The theatre's whole published record", {202: WRITING})
class HistoryExport(ExportView):
    def get(self, request):
        """The whole published record of a theatre, for researchers: a GeoPackage with the tables
        `changes` (every published control change, with its sources), `intervals` (every interval
        [valid_from, valid_to) between change dates, one row per controller, pointing at its
        `holding_id`), `holdings` (each controller's area, stored once) and `events` (as the events
        export, ACLED's left out); or a ZIP of the same tables as CSV with a README.txt. The files are
        written by a worker after each build (exports/stored.py): `Last-Modified` and the file's
        metadata say when; before the first is written, a 202 with `Retry-After`."""
        query = parse(HistoryExportQuery, request.query_params)
        theatre, name = theatre_or_404(query["theatre"]), query["format"]
        if not LayerBuild.objects.filter(theatre=theatre, is_current=True).exists():
            raise exceptions.NotFound(f"No layers of {theatre.name} have been built yet.")
        stored = newest(theatre, name)
        if stored is None or stored.state != state_of(theatre):
            ask_for(theatre.pk)
        if stored is None:
            message = f"The history of {theatre.name} is being written; ask again in a minute or two."
            return Response({"status": "writing", "message": message}, status=202,
                            headers={"Retry-After": str(WRITING_RETRY_SECONDS)})  # fmt: skip
        response = FileResponse(stored.path.open("rb"), as_attachment=True, content_type=FORMATS[name].content_type,
                                filename=f"{stored.stem}.{FORMATS[name].extension}")  # fmt: skip
        response["Last-Modified"] = http_date(stored.written_at.timestamp())
        return response
