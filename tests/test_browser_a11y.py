"""The accessibility tree Chromium builds for the map and an embed (read through the DevTools
protocol, as assistive technology reads it): every control a reader can operate has a name, the
page has its landmarks, and the slider says a date (aria-valuetext), in English and in Arabic."""

import pytest

from tests.chromium import open_map

CONTROLS = {"button", "checkbox", "combobox", "link", "searchbox", "slider", "textbox", "spinbutton", "listbox",
            "radio", "switch", "tab", "menuitem", "date", "DateTime"}  # fmt: skip


def tree(page) -> list[dict]:
    session = page.context.new_cdp_session(page)
    try:
        return session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()


def value(field) -> str:
    return str((field or {}).get("value", ""))


def unnamed_controls(nodes) -> list[str]:
    controls = [node for node in nodes if not node.get("ignored") and value(node.get("role")) in CONTROLS]
    return [f"{value(node.get('role'))} #{node.get('backendDOMNodeId')}" for node in controls
            if not value(node.get("name")).strip()]  # fmt: skip


@pytest.mark.parametrize(("query", "slider_says"), [("?date=2018-12-28", "28 December 2018"),
                                                    ("?date=2018-12-28&lang=ar", "كانون الأول")])  # fmt: skip
def test_every_control_of_the_map_is_named_and_the_page_has_its_landmarks(page, live_server, demo, query, slider_says):
    open_map(page, live_server, query)
    page.locator(".event-key label").first.wait_for()
    nodes = tree(page)
    assert unnamed_controls(nodes) == []
    roles = {value(node.get("role")) for node in nodes if not node.get("ignored")}
    assert {"banner", "main", "complementary", "search", "heading", "slider", "table"} <= roles
    slider = next(node for node in nodes if value(node.get("role")) == "slider")
    assert value(slider.get("name")) in ("Date", "التاريخ"), slider
    # What it announces: the date (aria-valuetext), not the day's number the tree gives as its value.
    assert slider_says in page.get_attribute("#date-slider", "aria-valuetext")


def test_every_control_of_an_embed_is_named(page, live_server, demo):
    page.goto(f"{live_server.url}/embed/?theatre=syria&from=2018-12-01&to=2019-01-20")
    page.wait_for_selector("#legend tr", timeout=15_000)
    assert unnamed_controls(tree(page)) == []
