"""Bad input is a 4xx with a reason, never a 500."""

import pytest

PATHS = ["/api/v1/control/", "/api/v1/events/", "/api/v1/events/points/", "/api/v1/timeline/", "/api/v1/pieces/",
         "/changes/", "/"]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("value", ["toy\x00land", "\x00", "toyland\n", "\x1b[31m", "\x7f"])
def test_control_characters_in_a_parameter_are_refused_with_a_reason(client, world, path, value):
    response = client.get(path, {"theatre": value, "date": "2020-01-05"})
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_a_control_character_in_a_parameter_name_is_refused_too(client, world):
    assert client.get("/api/v1/control/?the%00atre=toyland&date=2020-01-05").status_code == 400


def test_ordinary_text_passes(client, world):
    assert client.get("/api/v1/events/", {"theatre": "toyland", "type": "air_strike"}).status_code == 200
    assert client.get("/changes/", {"theatre": "toyland"}).status_code == 200
