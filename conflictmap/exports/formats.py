"""Writing an Export (exports/tables.py) as a file, through GDAL (pyogrio), never by hand.

pyogrio.raw.write takes a WKB array and one array per field, without geopandas, and its wheel
brings a GDAL of its own. GeoPackage and CSV tables are written a batch of rows at a time (appended
in order); GeoJSON and KML in one go (GDAL's GeoJSON driver prepends on append). KML is written by
GDAL's streaming KML driver: LIBKML builds the whole document in memory, about 8 KB a placemark.
Text a spreadsheet could run as a formula is neutralised in CSV; KML text is HTML-escaped, as
KML viewers render balloons as HTML.
"""

import html
import itertools
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from pyogrio import raw

from conflictmap.exports.tables import Export, Field, Table


@dataclass(frozen=True)
class Format:
    extension: str
    driver: str
    content_type: str
    batched: bool  # written a batch of rows at a time (Table.batch)


FORMATS = {
    "geojson": Format("geojson", "GeoJSON", "application/geo+json", batched=False),
    "csv": Format("csv", "CSV", "text/csv; charset=utf-8", batched=True),
    "kml": Format("kml", "KML", "application/vnd.google-earth.kml+xml", batched=False),
    "gpkg": Format("gpkg", "GPKG", "application/geopackage+sqlite3", batched=True),
    "zip": Format("zip", "CSV", "application/zip", batched=True),  # a CSV per table and a README.txt
}
LAYER_FORMATS = ("geojson", "csv", "kml", "gpkg")  # one table: the control layer, or events
HISTORY_FORMATS = ("gpkg", "zip")  # several tables
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_NOTE = "In CSV, text starting with = + - @, a tab or a carriage return starts with an apostrophe (') added, "
CSV_NOTE += "so that spreadsheets show it rather than run it as a formula."


def refusal(export: Export, name: str) -> str:
    """Why `export` is too large to write as `name` in one go (settings.EXPORT_MAX_FEATURES), or ""."""
    size = sum(table.size or 0 for table in export.tables)
    if FORMATS[name].batched or size <= settings.EXPORT_MAX_FEATURES:
        return ""
    batched = ", ".join(key for key in LAYER_FORMATS if FORMATS[key].batched)
    return (f"This download holds {size:,} features, more than {name} files may ({settings.EXPORT_MAX_FEATURES:,}, "
            f"EXPORT_MAX_FEATURES): ask for a shorter range, or for {batched}.")  # fmt: skip


def neutralise(text: str) -> str:
    """A CSV cell a spreadsheet shows as text instead of running as a formula (OWASP's advice)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def credits(export: Export) -> str:
    return " ".join([export.attribution, *export.notes])


def write(export: Export, name: str, folder: Path) -> Path:
    """The file of `export` in format `name` (a key of FORMATS), written inside `folder`."""
    kind = FORMATS[name]
    if name == "zip":
        return write_zip(export, folder)
    path = folder / f"{export.stem}.{kind.extension}"
    for table in export.tables:
        write_table(path, table, export, name)
    return path


def write_table(path: Path, table: Table, export: Export, name: str) -> None:
    kind = FORMATS[name]
    fields, rows = table.fields, iter(table.rows)
    if name in ("csv", "kml"):  # no metadata in CSV, nor in GDAL's KML driver: the credits go in a column
        fields = [*fields, Field("attribution", "str")]
        text = f"{credits(export)} {CSV_NOTE}" if name == "csv" else credits(export)
        rows = (row + (text,) for row in rows)
    batches: Iterable[list[tuple]] = iter(lambda: list(itertools.islice(rows, table.batch)), [])
    if not kind.batched:
        batches = [list(rows)]
    first = True
    for batch in batches:
        write_rows(path, table, fields, batch, export, name, append=not first)
        first = False
    if first:  # no rows: the file still has the table, its fields and metadata
        write_rows(path, table, fields, [], export, name, append=False)


def write_rows(path: Path, table: Table, fields: list[Field], rows: list[tuple], export, name: str, append: bool):
    spatial = table.geometry_type is not None
    columns = list(zip(*rows, strict=True)) if rows else [()] * (len(fields) + spatial)
    geometry = np.array([None if wkb is None else bytes(wkb) for wkb in columns[0]], dtype=object) if spatial else None
    arrays = [array(field, values, name) for field, values in zip(fields, columns[spatial:], strict=True)]
    names = [field.name for field in fields]
    options = {} if append else creation_options(table, export, name)
    raw.write(
        str(path), geometry, [data for data, _ in arrays], names, field_mask=[mask for _, mask in arrays],
        layer=None if FORMATS[name].driver == "CSV" else table.name, driver=FORMATS[name].driver,
        geometry_type=table.geometry_type, crs="EPSG:4326" if spatial else None, append=append, **options,
    )  # fmt: skip


def array(field: Field, values, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A column as pyogrio takes it, with a mask of its nulls where the dtype has none."""
    if field.type == "int":
        return np.array([value or 0 for value in values], dtype="int64"), np.array([v is None for v in values], bool)
    if field.type == "float":
        return np.array([np.nan if value is None else value for value in values], dtype="float64"), None
    if field.type == "date" and name in ("geojson", "gpkg"):
        return np.array(values, dtype="datetime64[D]"), None  # None is NaT: null
    texts = [None if value is None else str(value) if field.type == "date" else value for value in values]
    if name in ("csv", "zip"):
        texts = [None if text is None else neutralise(text) for text in texts]
    elif name == "kml":
        texts = [None if text is None else html.escape(text) for text in texts]
    return np.array(texts, dtype=object), None


def creation_options(table: Table, export: Export, name: str) -> dict:
    """Where each format keeps the title, the attribution and the notes."""
    if name == "geojson":
        members = {"title": export.title, "attribution": export.attribution, "notes": export.notes,
                   "exported_at": export.exported_at.isoformat()}  # fmt: skip
        # Titles that look like JSON stay text (GDAL would write "[1]" as an array).
        return {"layer_options": {"RFC7946": "YES", "AUTODETECT_JSON_STRINGS": "NO", "DESCRIPTION": table.description,
                                  "FOREIGN_MEMBERS_COLLECTION": json.dumps(members, ensure_ascii=False)}}  # fmt: skip
    if name == "kml":  # the label is each placemark's name, a description its description
        return {"dataset_options": {"NameField": table.label or "name", "DescriptionField": "description"}}
    if name == "gpkg":
        metadata = {"TITLE": export.title, "ATTRIBUTION": export.attribution, "NOTES": " ".join(export.notes),
                    "EXPORTED_AT": export.exported_at.isoformat()}  # fmt: skip
        # GeoPackage 1.2: read without warnings by older GDALs (QGIS's, Debian 12's 3.6).
        return {"dataset_options": {"VERSION": "1.2"}, "dataset_metadata": metadata,
                "layer_options": {"DESCRIPTION": table.description}}  # fmt: skip
    return {"layer_options": {"GEOMETRY": "AS_WKT", "CREATE_CSVT": "YES"}} if table.geometry_type else {}


def write_zip(export: Export, folder: Path) -> Path:
    """A CSV per table (typed on append by GDAL's .csvt, which stays behind) and a README.txt."""
    tables = folder / "tables"
    tables.mkdir()
    for table in export.tables:
        write_table(tables / f"{table.name}.csv", table, export, "zip")
    path = folder / f"{export.stem}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{export.stem}/README.txt", readme(export))
        for table in export.tables:
            archive.write(tables / f"{table.name}.csv", f"{export.stem}/{table.name}.csv")
    return path


def readme(export: Export) -> str:
    lines = [export.title, "", f"Exported {export.exported_at.isoformat()}.", "", "Attribution: " + export.attribution]
    lines += ["", *(f"Note: {note}" for note in export.notes), f"Note: {CSV_NOTE}", "", "Files:"]
    for table in export.tables:
        names = ", ".join(field.name for field in table.fields)
        geometry = f"WKT ({table.geometry_type}, lon/lat WGS 84), " if table.geometry_type else ""
        lines.append(f"- {table.name}.csv: {table.description}. Columns: {geometry}{names}.")
    lines += ["", "Dates are YYYY-MM-DD; intervals are [valid_from, valid_to), valid_to empty: until further notice.",
              "`sources` is JSON: a list of {id, title, publisher, url, published_on}.",
              "Ids are the database's: stable, as are external_id (an import's) and the faction slugs."]  # fmt: skip
    return "\n".join(lines) + "\n"
