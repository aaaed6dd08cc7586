"""The staff preview with drafts (territory/serve/drafts.py, GET /api/v1/control/preview/)."""

import datetime as dt

from conflictmap.editorial.workflow import Status
from conflictmap.territory.build.storage import territory_of
from conflictmap.territory.models import LayerSnapshot
from conflictmap.territory.serve.drafts import partition_with_drafts
from tests.conftest import rect


def published_territory(theatre, date):
    snapshot = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).covering(date).get()
    return territory_of(snapshot.pk)


def test_the_preview_is_the_partition_the_drafts_would_make_once_published(world):
    draft = world.change(dt.date(2020, 2, 1), world.green, rect(10.5, 10.5, 12.5, 11.5), status=Status.REVIEW)
    world.change(dt.date(2020, 3, 1), world.blue, rect(11.5, 10, 13, 13))  # published, later, over part of it
    world.build()
    preview, count = partition_with_drafts(world.theatre, dt.date(2020, 3, 15))
    assert count == 1
    draft.status = Status.PUBLISHED
    draft.save()
    world.build(full=True)
    expected = published_territory(world.theatre, dt.date(2020, 3, 15))
    assert set(preview) == set(expected)
    for controller, geometry in expected.items():
        assert geometry.symmetric_difference(preview[controller]).area < 1e-9, controller


def test_only_staff_get_the_preview_and_the_public_layer_stays_published(client, world, django_user_model):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.5, 10.5, 11.5, 11.5), status=Status.DRAFT)
    world.build()
    query = {"theatre": "toyland", "date": "2020-02-10"}
    assert client.get("/api/v1/control/preview/", query).status_code == 403
    public = client.get("/api/v1/control/", query).json()
    assert "green" not in {feature["properties"]["faction"] for feature in public["features"]}
    client.force_login(django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True))
    response = client.get("/api/v1/control/preview/", query)
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["preview"] is True and body["drafts"] == 1
    green = next(f for f in body["features"] if f["properties"]["faction"] == "green")
    assert green["properties"]["area_km2"] > 0
    assert client.get("/api/v1/control/preview/", {"theatre": "toyland", "date": "soon"}).status_code == 400
