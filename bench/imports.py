"""An ACLED export at scale through `manage.py import`, as a newsroom runs it: a generated CSV of
200,000 rows (ACLED's columns and event types, actor names as ACLED writes them, notes and
sources of realistic length; invented events, not ACLED data) over the demo's Syria outline.
Timed, each in its own process with its peak memory (VmHWM): the dry run, the commit, and the
same file again (everything unchanged), its dry run and its commit. The issue's budgets: each
under 2 minutes, the re-import under 1, peak memory under 1 GB.

`python -m bench.imports [--rows 200000]`: in a database of its own (conflictmap_bench_imports,
dropped and made anew each run); writes bench/results/imports-<rows>-rows.json.
"""

import argparse
import csv
import datetime as dt
import json
import random
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import Point

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
           "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
           "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
           "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
           "timestamp"]  # fmt: skip
TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Shelling/artillery/missile attack", "Air/drone strike",
                                   "Remote explosive/landmine/IED", "Suicide bomb"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Strategic developments": ["Arrests", "Looting/property destruction", "Headquarters or base established",
                               "Disrupted weapons use", "Agreement"],
}  # fmt: skip
# (as ACLED names the actor, the faction slug an editor maps it to)
ACTORS = [
    ("Military Forces of Syria (2000-2024)", "government"), ("SDF: Syrian Democratic Forces", "sdf"),
    ("HTS: Hayat Tahrir al Sham", "hts"), ("Islamic State (Syria)", "isis"),
    ("Military Forces of Turkey (2016-)", "turkey"), ("SNA: Syrian National Army", "sna"),
    ("Military Forces of Russia (2000-)", "russia"), ("Civilians (Syria)", None),
    ("Unidentified Armed Group (Syria)", None), ("Protesters (Syria)", None),
]  # fmt: skip
# Towns (approximate centres), each event placed within a few kilometres of one.
PLACES = [
    ("Aleppo", "Aleppo", 36.20, 37.16), ("Manbij", "Aleppo", 36.53, 37.95), ("Afrin", "Aleppo", 36.51, 36.87),
    ("Idlib", "Idleb", 35.93, 36.63), ("Maarat al Numan", "Idleb", 35.64, 36.67),
    ("Jisr al Shughur", "Idleb", 35.81, 36.32), ("Ar-Raqqa", "Ar-Raqqa", 35.95, 39.01),
    ("Tell Abiad", "Ar-Raqqa", 36.70, 38.95), ("Deir-ez-Zor", "Deir-ez-Zor", 35.34, 40.14),
    ("Hajin", "Deir-ez-Zor", 34.69, 40.83), ("Al Bukamal", "Deir-ez-Zor", 34.45, 40.92),
    ("Homs", "Homs", 34.73, 36.71), ("Tadmor", "Homs", 34.56, 38.27), ("Hama", "Hama", 35.13, 36.75),
    ("Damascus", "Damascus", 33.51, 36.29), ("Dar'a", "Dar'a", 32.62, 36.10), ("Lattakia", "Lattakia", 35.52, 35.79),
    ("Al-Hasakeh", "Al-Hasakeh", 36.50, 40.75), ("Ain al Arab", "Aleppo", 36.89, 38.35),
]  # fmt: skip
SOURCES = ["SOHR", "Syria Direct", "Enab Baladi", "SANA", "Step News Agency", "North Press Agency", "Deir Ezzor 24"]
START = dt.date(2017, 1, 1)
SLUG = "acled-scale"


def write_export(path: Path, rows: int, outline, seed: int = 7) -> None:
    """A seeded ACLED-shaped export of `rows` events from START to a year ago, in date order,
    every point within `outline` (a shapely polygon)."""
    rng = random.Random(seed)
    shapely.prepare(outline)
    days = (dt.date.today() - dt.timedelta(days=365) - START).days
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for number, offset in enumerate(sorted(rng.randrange(days) for _ in range(rows))):
            date = START + dt.timedelta(days=offset)
            kind = rng.choice(list(TYPES))
            sub = rng.choice(TYPES[kind])
            (actor1, _), (actor2, _) = rng.sample(ACTORS, 2)
            town, admin1, lat, lon = rng.choice(PLACES)
            lon, lat = near(rng, outline, lon, lat)
            dead = rng.choice([0, 0, 0, 1, 2, 3, 5, 12])
            notes = (f"On {date:%d %B %Y}, {actor1} and {actor2} were involved in an event of type {sub.lower()} "
                     f"in {town} ({admin1}). {dead} fatalities were reported by local sources; the toll could "
                     "not be independently verified. Reports describe damage to houses and a road nearby.")  # fmt: skip
            writer.writerow([
                f"SYR{100000 + number}", date.isoformat(), date.year, rng.choice("1112"), "Political violence", kind,
                sub, actor1, "", "1", actor2, "", "2", "12", "", "760", "Middle East", "Syria", admin1, "", "", town,
                f"{lat:.4f}", f"{lon:.4f}", "1", "; ".join(rng.sample(SOURCES, 2)), "National-Local", notes, dead, "",
                "1700000000",
            ])  # fmt: skip


def near(rng: random.Random, outline, lon: float, lat: float) -> tuple[float, float]:
    """A point within a few kilometres of (lon, lat), inside `outline` (towns on a border)."""
    while True:
        point = Point(round(lon + rng.uniform(-0.04, 0.04), 4), round(lat + rng.uniform(-0.04, 0.04), 4))  # as written
        if outline.contains(point):
            return point.x, point.y


def drop(database: str) -> None:
    """Drop the bench database of an earlier run: bench.run.configure makes it anew."""
    import os
    import urllib.parse

    import psycopg

    url = urllib.parse.urlsplit(os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/conflictmap"))
    with psycopg.connect(urllib.parse.urlunsplit(url._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000, help="rows in the export (default 200,000)")
    options = parser.parse_args()
    from bench.run import RESULTS, configure, say

    database = "conflictmap_bench_imports"
    drop(database)
    configure(database=database)
    from django.core.management import call_command

    from bench import processes, synthetic
    from conflictmap.atlas.models import Faction, Theatre
    from conflictmap.imports.models import NameMapping
    from conflictmap.territory.areas import to_geos

    call_command("migrate", verbosity=0)
    Theatre.objects.create(slug=SLUG, name="ACLED at scale", start_date=START,
                           boundary=to_geos(shapely.MultiPolygon([synthetic.syria()])))  # fmt: skip
    for n, (name, slug) in enumerate(ACTORS):
        if slug:
            Faction.objects.get_or_create(
                slug=slug, defaults={"name": name, "short_name": slug, "color": f"#{n}0{n}0{n}0"}
            )
            NameMapping.objects.create(dataset="acled", field="actor", value=name, maps_to=slug)
    results: dict = {"rows": options.rows, "run_on": dt.date.today().isoformat()}
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "acled-syria.csv"
        say(f"Writing an ACLED-shaped export of {options.rows:,} rows...")
        write_export(export, options.rows, synthetic.syria())
        results["file_mb"] = export.stat().st_size / 2**20
        command = ["import", str(export), "--theatre", SLUG]
        for name, args in (("dry_run", []), ("commit", ["--commit"]), ("again_dry_run", []),
                           ("again_commit", ["--commit"])):  # fmt: skip
            say(
                f"manage.py import {' '.join(args) or '(dry run)'}{' (the same file again)' if 'again' in name else ''}"
            )
            results[f"{name}_s"], results[f"{name}_peak_mb"] = processes.timed_command(command + args)
            say(f"  {results[f'{name}_s']:.1f} s, peak {results[f'{name}_peak_mb']:.0f} MB")
    from conflictmap.events.models import Event

    results["events_imported"] = Event.objects.filter(theatre__slug=SLUG).count()
    assert results["events_imported"] == options.rows, results
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"imports-{options.rows}-rows.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    say(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
