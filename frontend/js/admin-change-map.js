// The control change form's map in the admin (conflictmap/territory/admin.py): under what the
// editor draws, the theatre's outline and the partition as published on the change's date, from
// the public API, in a pane of its own that takes no clicks; and a Preview button that asks the
// server what saving would move (territory/serve/preview.py), in km² per controller; and a field
// store that keeps the holes of multi-part areas.
//
// An ES module (territory/admin.py loads it with type="module", beside django-leaflet's classic
// scripts). Modules run once the page is parsed, before DOMContentLoaded, so before the window's
// load event on which django-leaflet makes the form's map (the widget's loadevent, pinned in
// territory/admin.py): L is there, and the map:init listener below is in place when it fires.
// Its URLs are the page's (admin_map_urls, made by reverse() in territory/admin.py; read by
// admin-urls.js), not ours to guess: a deployment may mount the admin or the API elsewhere.
import { adminMapUrls, chosenTheatre } from "./admin-urls.js";
import { el } from "./dom.js";

const field = (name) => document.getElementById(`id_${name}`);

// django-leaflet's store keeps only the outer ring of each part of a MultiPolygon when it
// saves the drawing: an enclave (a hole) would be lost at the first edit. This one keeps
// every ring of every part (territory/admin.py names it for the area field). Defined now, as
// the module runs: the widget's map reads it when it is made.
if (window.L?.FieldStore) { // not on a page of the admin with no map (the list of changes)
  L.MultiPolygonStore = L.FieldStore.extend({
    _serialize(layer) {
      const parts = [];
      for (const item of typeof layer.getLayers === "function" ? layer.getLayers() : [layer]) {
        const geometry = item.toGeoJSON(this.options.precision).geometry;
        if (geometry.type === "Polygon") parts.push(geometry.coordinates);
        else if (geometry.type === "MultiPolygon") parts.push(...geometry.coordinates);
      }
      return parts.length ? JSON.stringify({ type: "MultiPolygon", coordinates: parts }) : "";
    },
  });
}

function referenceLayer(map, urls) {
  const layers = L.layerGroup().addTo(map);

  async function refresh() {
    const found = await chosenTheatre(urls.theatres);
    layers.clearLayers();
    if (!found) return;
    L.geoJSON(found.geometry, { pane: "reference", interactive: false,
      style: { color: "#222", weight: 2, fill: false } }).addTo(layers);
    const date = field("date")?.value ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    const query = new URLSearchParams({ theatre: found.properties.slug, date, detail: "overview" });
    const response = await fetch(`${urls.control}?${query}`);
    if (!response.ok) return;
    L.geoJSON(await response.json(), { pane: "reference", interactive: false,
      style: (feature) => ({ color: feature.properties.color ?? "#bbb", weight: 1,
        fillColor: feature.properties.color ?? "#bbb", fillOpacity: 0.3 }) }).addTo(layers);
    map.getContainer().dataset.referenceDate = date;
  }
  for (const name of ["date", "theatre"]) field(name)?.addEventListener("change", refresh);
  refresh();
}

const signed = (value) => `${value > 0 ? "+" : ""}${value.toLocaleString("en")} km²`;

function previewButton(map, urls) {
  const button = el("button", { type: "button", class: "button" }, "Preview what this change moves");
  const result = el("div", { id: "change-preview" });
  map.getContainer().after(el("div", { class: "change-preview" }, button, result));
  button.addEventListener("click", async () => {
    const body = new FormData();
    for (const name of ["theatre", "date", "controller", "area"]) body.append(name, field(name)?.value ?? "");
    body.append("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
    const response = await fetch(urls.preview, { method: "POST", body });
    const answer = await response.json();
    if (!response.ok) {
      result.replaceChildren(el("p", { class: "errornote" }, answer.error));
      return;
    }
    const area = answer.area_km2.toLocaleString("en", { maximumFractionDigits: 1 });
    const moves = answer.moves.map((move) => el("tr", {}, el("td", {}, move.name), el("td", {}, signed(move.km2))));
    result.replaceChildren(
      el("p", {}, `The area drawn: ${area} km², against the published map of that date (drafts not included).`),
      el("table", {}, el("tbody", {}, moves)),
    );
    if (answer.repaired) result.append(el("p", {}, answer.repaired));
  });
}

window.addEventListener("map:init", (event) => {
  if (!field("area") || !event.detail.id.startsWith("id_area")) return;
  const map = event.detail.map;
  map.getContainer().leafletMap = map; // for other scripts on the page (and the browser tests)
  map.createPane("reference");
  Object.assign(map.getPane("reference").style, { zIndex: 350, pointerEvents: "none" }); // under the drawing
  const urls = adminMapUrls();
  referenceLayer(map, urls);
  previewButton(map, urls);
});
