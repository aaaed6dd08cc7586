"""Citable, as-published layers: a theatre's current build pinned (a saved view cites it) is
kept when newer builds replace it (territory/build/swap.py) and served by its number for good
(`build=` on /control/, /timeline/, /pieces/ and /history/). Whether the map has been
corrected since, on the dates a citation shows, is a comparison of the two builds' areas."""

import datetime as dt

from django.db import connection, transaction

from conflictmap.territory.models import LayerBuild, LayerSnapshot

# The areas of two builds on one date that differ: another controller or holding, and not
# the same shape ("no data" is controller 0). Holdings are shared by builds where a controller's area is unchanged, and
# stored in normal form (build/storage.py), so equal shapes have equal bytes.
DIFFERING_SQL = """
WITH pinned AS (
    SELECT coalesce(area.controller_id, 0) AS controller, holding.geom FROM territory_controlarea area
    JOIN territory_holding holding ON holding.id = area.holding_id WHERE area.snapshot_id = %(pinned)s
), current AS (
    SELECT coalesce(area.controller_id, 0) AS controller, holding.geom FROM territory_controlarea area
    JOIN territory_holding holding ON holding.id = area.holding_id WHERE area.snapshot_id = %(current)s
)
SELECT count(*) FROM pinned FULL JOIN current ON pinned.controller = current.controller
WHERE pinned.geom IS NULL OR current.geom IS NULL OR NOT ST_OrderingEquals(pinned.geom, current.geom)
"""


def pin_current(theatre_id: int) -> LayerBuild | None:
    """The theatre's current build, pinned: it will be kept and served as it is. None if none."""
    with transaction.atomic():
        build = LayerBuild.objects.select_for_update().filter(theatre_id=theatre_id, is_current=True).first()
        if build is not None and not build.pinned:
            build.pinned = True
            build.save(update_fields=["pinned"])
    return build


def citable(theatre_id: int, number: int) -> LayerBuild | None:
    """The build of this number readers may be served: a pinned one, or the current one."""
    return (
        LayerBuild.objects.filter(theatre_id=theatre_id, version=number, pinned=True).first()
        or LayerBuild.objects.filter(theatre_id=theatre_id, version=number, is_current=True).first()
    )


def latest_date(theatre_id: int, build: LayerBuild | None = None) -> dt.date | None:
    """The last date the layers change (a map's "latest"), in `build` or the current build."""
    snapshots = LayerSnapshot.objects.filter(build=build) if build else LayerSnapshot.objects.filter(
        build__theatre_id=theatre_id, build__is_current=True)  # fmt: skip
    return snapshots.order_by("-valid_from").values_list("valid_from", flat=True).first()


def corrected_since(build: LayerBuild, dates: list[dt.date]) -> bool:
    """Whether the current build shows any of these dates otherwise than `build` did."""
    current = LayerBuild.objects.filter(theatre_id=build.theatre_id, is_current=True).first()
    if current is None or current.pk == build.pk:
        return False
    with connection.cursor() as cursor:
        for date in dates:
            snapshots = [
                LayerSnapshot.objects.filter(build=which).covering(date).values_list("pk", flat=True).first()
                for which in (build, current)
            ]
            if None in snapshots:
                return True
            cursor.execute(DIFFERING_SQL, {"pinned": snapshots[0], "current": snapshots[1]})
            if cursor.fetchone()[0]:
                return True
    return False
