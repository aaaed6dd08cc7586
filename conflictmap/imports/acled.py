"""Reading an ACLED export (CSV) into events, through the editable mapping of ACLED's event
types and actors to ours (imports.models.NameMapping; event types seeded from ACLED's codebook
by a migration, actors for each newsroom to map: the dry run lists those it left out).

Columns are found by their header, whatever their order (ACLED's exports have added and moved
columns over the years): event_id_cnty (the stable id), event_date (2019-01-05, or 05 January
2019 as older exports write it), time_precision (1 day, 2 week, 3 month), event_type,
sub_event_type, actor1, actor2, location, latitude, longitude, fatalities, notes, source.

ACLED's terms ask for credit with a link and the date the data was accessed: every imported
event cites one Source, "ACLED: Armed Conflict Location & Event Data, accessed <date>", with
https://acleddata.com/, and keeps ACLED's own `source` column (the outlets ACLED read) in its
description. Check ACLED's terms before publishing its rows in full: they restrict passing the
raw data on.
"""

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

from django.conf import settings

from conflictmap.events.models import ACLED_URL
from conflictmap.imports.geojson import Ignored, ImportRefused, Rejection, Row, row_of, too_many
from conflictmap.imports.models import NameMapping

REQUIRED = {"event_id_cnty", "event_date", "event_type", "latitude", "longitude"}
PRECISION = {"1": "day", "2": "approximate", "3": "month"}


def read(data: bytes, accessed: dt.date | None = None) -> Iterator[Row | Rejection | Ignored]:
    """The export's rows, one at a time: the file is decoded as it is read (never whole, nor
    its rows all kept), so that an export of 200,000 rows is checked in bounded memory."""
    if len(data) > settings.IMPORT_MAX_CSV_BYTES:
        limit = settings.IMPORT_MAX_CSV_BYTES
        raise ImportRefused(f"The file is {len(data):,} bytes; the limit is {limit:,} (IMPORT_MAX_CSV_MB).")
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        missing = REQUIRED - {name.strip() for name in reader.fieldnames or []}
        if missing:
            raise ImportRefused(f"Not an ACLED export: no column {', '.join(sorted(missing))}.")
        mapping = {(field, value.lower()): target for field, value, target
                   in NameMapping.objects.filter(dataset="acled").values_list("field", "value", "maps_to")}  # fmt: skip
        credit = {"url": ACLED_URL, "title": f"ACLED: Armed Conflict Location & Event Data, accessed "
                  f"{(accessed or dt.date.today()).isoformat()}", "publisher": "ACLED"}  # fmt: skip
        unmapped: Counter[str] = Counter()
        for number, record in enumerate(reader, start=1):
            too_many(number)
            row = row_from(number, {key.strip(): (value or "").strip() for key, value in record.items() if key},
                           mapping, credit)  # fmt: skip
            if isinstance(row, Row):
                unmapped.update(row.notes)
                row.notes = []
            yield row
        for name, rows in sorted(unmapped.items()):  # said once per actor, not once per row
            yield Ignored(f"actor {name!r}, in {rows:,} row{'s' * (rows != 1)}, is not mapped to a faction "
                          "(Imports > Name mappings), so left out of their events' actors")  # fmt: skip
    except UnicodeDecodeError:
        raise ImportRefused("The CSV is not UTF-8, as ACLED exports are.") from None
    except csv.Error as error:
        raise ImportRefused(f"The CSV is malformed near line {reader.line_num}: {error}.") from None


def row_from(number: int, record: dict, mapping: dict, credit: dict) -> Row | Rejection:
    try:
        date = acled_date(record["event_date"])
        latitude, longitude = float(record["latitude"]), float(record["longitude"])
    except ValueError as error:
        return Rejection(number, str(error))
    precision = PRECISION.get(record.get("time_precision", ""), "day")
    if precision == "month":
        date = date.replace(day=1)
    sub_type, kind = record.get("sub_event_type", ""), record["event_type"]
    ours = mapping.get(("sub_event_type", sub_type.lower())) or mapping.get(("event_type", kind.lower())) or "other"
    where = record.get("location", "")
    reported = f"\n\nACLED's sources: {record['source']}" if record.get("source") else ""
    properties = {
        "external_id": record["event_id_cnty"], "date": date.isoformat(), "date_precision": precision,
        "type": ours, "title": f"{sub_type or kind}{' in ' + where if where else ''}", "place_name": where,
        "description": record.get("notes", "") + reported,
    }  # fmt: skip
    if record.get("fatalities", "").isdecimal():
        properties["fatalities"] = int(record["fatalities"])
    result = row_of(number, {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                             "properties": properties})  # fmt: skip
    if isinstance(result, Row):
        result.source = credit
        named = [record.get("actor1", ""), record.get("actor2", "")]
        result.actors = [mapping[("actor", name.lower())] for name in named if ("actor", name.lower()) in mapping]
        result.notes = [name for name in named if name and ("actor", name.lower()) not in mapping]  # read() sums them
    return result


def acled_date(value: str) -> dt.date:
    """ACLED writes 2019-01-05 in recent exports and 05 January 2019 (or 5-January-2019) in older ones."""
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)  # the usual case, read fast
        except ValueError:
            pass
    for pattern in ("%d %B %Y", "%d-%B-%Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"its event_date {value!r} is not a date ACLED writes (2019-01-05 or 05 January 2019)")
