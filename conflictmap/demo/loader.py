"""Load the Syria demo (fixtures/demo and fixtures/geo) through the same models editors use.

Used by `manage.py load_demo` (run by `make run`) and by the end-to-end and browser tests.
Everything is loaded in one transaction and published; layers are built afterwards by the caller.
"""

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import transaction

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.lib.urls import canonical_url
from conflictmap.territory.models import Confidence, ControlChange

Progress = Callable[[str], None]


def fixture(path: str) -> Path:
    return Path(settings.FIXTURES_DIR) / path


def read_json(path: str):
    return json.loads(fixture(path).read_text(encoding="utf-8"))


def multipolygon(geometry: dict) -> MultiPolygon:
    geos = GEOSGeometry(json.dumps(geometry), srid=4326)
    return geos if isinstance(geos, MultiPolygon) else MultiPolygon(geos, srid=4326)


def source_for(citation: dict) -> Source:
    """One Source row per distinct citation, shared by every change and event that cites it."""
    source, _ = Source.objects.get_or_create(
        title=citation["title"],
        publisher=citation.get("publisher") or "",
        url=canonical_url(citation.get("url") or ""),
        defaults={
            "published_on": dt.date.fromisoformat(citation["published_on"]) if citation.get("published_on") else None
        },
    )
    return source


def load_theatre() -> Theatre:
    spec = read_json("demo/theatre.json")
    outline = read_json(spec["boundary"])["features"][0]["geometry"]
    return Theatre.objects.create(
        slug=spec["slug"],
        name=spec["name"],
        name_ar=spec.get("name_ar", ""),
        start_date=dt.date.fromisoformat(spec["start_date"]),
        boundary=multipolygon(outline),
        description=spec["description"],
        description_ar=spec.get("description_ar", ""),
        attribution=spec["attribution"],
    )


def load_factions(theatre: Theatre) -> dict[str, Faction]:
    factions: dict[str, Faction] = {}
    for spec in read_json("demo/factions.json"):
        parent = factions[spec["parent"]] if spec["parent"] else None
        fields = {key: spec[key] for key in ("name", "name_ar", "short_name", "kind", "color", "description")}
        factions[spec["slug"]], _ = Faction.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "parent": parent}
        )
        factions[spec["slug"]].theatres.add(theatre)
    return factions


def load_places() -> dict[str, Place]:
    places: dict[str, Place] = {}
    with fixture("geo/syria-places.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            places[row["name_en"]], _ = Place.objects.update_or_create(
                name=row["name_en"],
                point=Point(float(row["lon"]), float(row["lat"]), srid=4326),
                defaults={
                    "name_ar": row["name_ar"],
                    "governorate": row["admin1"],
                    "governorate_ar": row["admin1_ar"],
                    "population": int(row["population"]) if row["population"] else None,
                    "geonames_id": int(row["geonameid"]) if row["geonameid"] else None,
                    "source": row["source"],
                },
            )
    return places


def load_changes(theatre: Theatre, factions: dict[str, Faction]) -> int:
    features = read_json("demo/control.geojson")["features"]
    for feature in features:  # file order is application order within a date
        props = feature["properties"]
        change = ControlChange.objects.create(
            theatre=theatre,
            date=dt.date.fromisoformat(props["date"]),
            area=multipolygon(feature["geometry"]),
            controller=factions[props["controller"]],
            confidence=props.get("confidence", Confidence.CONFIRMED),
            note=props.get("note", ""),
            status=Status.PUBLISHED,
            external_id=props["key"],
        )
        change.sources.set([source_for(citation) for citation in props.get("sources", [])])
    return len(features)


def load_events(theatre: Theatre, factions: dict[str, Faction], places: dict[str, Place]) -> int:
    specs = read_json("demo/events.json")
    for spec in specs:
        location = spec.get("location")
        event = Event.objects.create(
            theatre=theatre,
            date=dt.date.fromisoformat(spec["date"]),
            date_precision=spec["date_precision"],
            title=spec["title"],
            title_ar=spec.get("title_ar", ""),
            description=spec.get("description", ""),
            type=spec["type"],
            place=places[spec["place"]] if spec.get("place") else None,
            location=Point(*location, srid=4326) if location else None,
            fatalities=spec.get("fatalities"),
            confidence=spec["confidence"],
            status=Status.PUBLISHED,
            external_id=spec["key"],
        )
        event.actors.set([factions[slug] for slug in spec.get("actors", [])])
        event.sources.set([source_for(citation) for citation in spec["sources"]])
    return len(specs)


def load_demo(progress: Progress = lambda message: None) -> Theatre | None:
    """Load the demo theatre unless it already exists; returns it, or None if it was there.

    1. The theatre outline, factions and gazetteer.
    2. The control changes (baseline first), published.
    3. The events with their sources, published.
    """
    spec = read_json("demo/theatre.json")
    if Theatre.objects.filter(slug=spec["slug"]).exists():
        progress(f"The {spec['name']} demo is already loaded.")
        return None
    with transaction.atomic():
        theatre = load_theatre()
        factions = load_factions(theatre)
        progress(f"Theatre {theatre.name} and {len(factions)} factions.")
        places = load_places()
        progress(f"{len(places)} gazetteer places.")
        progress(f"{load_changes(theatre, factions)} control changes.")
        progress(f"{load_events(theatre, factions, places)} events.")
    return theatre
