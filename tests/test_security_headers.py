"""Every page sends a Content-Security-Policy that allows scripts only from this site or with the
response's own nonce (the browser tests fail on any breach of it); framing is refused."""

import re

import pytest


@pytest.mark.parametrize("path", ["/", "/changes/", "/admin/login/", "/healthz"])
def test_every_page_sends_a_policy_that_runs_no_foreign_or_inline_script(client, world, path):
    policy = client.get(path)["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1).split()
    assert script_src[0] == "'self'" and all(source.startswith("'nonce-") for source in script_src[1:])
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def nonce(policy: str) -> str:
    return re.search(r"'nonce-([^']+)'", policy).group(1)


ADMIN_MAP = "/admin/territory/controlchange/add/"  # django-leaflet's map set-up: an inline script


def test_each_response_of_an_admin_map_has_a_nonce_of_its_own(admin_client, world):
    first, second = (admin_client.get(ADMIN_MAP)["Content-Security-Policy"] for _ in range(2))
    assert nonce(first) != nonce(second)


def test_the_admin_maps_inline_scripts_carry_the_nonce(admin_client, world):
    response = admin_client.get(ADMIN_MAP)
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [attributes for attributes in scripts if "src=" not in attributes and "application/json" not in attributes]
    expected = f'nonce="{nonce(response["Content-Security-Policy"])}"'
    assert inline and all(expected in attributes for attributes in inline)


@pytest.mark.parametrize("path", ["/t/toyland/", "/embed/?theatre=toyland"])
def test_the_map_and_embed_pages_run_no_inline_script_at_all(client, world, path):
    scripts = re.findall(r"<script([^>]*)>", client.get(path).content.decode())
    assert scripts and all("src=" in attributes or "application/" in attributes for attributes in scripts)


def test_json_answers_go_without_a_policy(client, world):
    response = client.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-05"})
    assert response.status_code == 200 and "Content-Security-Policy" not in response
