// The control change form's map in the admin (conflictmap/territory/admin.py): under what the
// editor draws, the theatre's outline and the partition as published on the change's date, from
// the public API, in a pane of its own that takes no clicks; and a Preview button that asks the
// server what saving would move (territory/preview.py), in km² per controller; and a field
// store that keeps the holes of multi-part areas.
// A classic script, not a module: the admin loads it with django-leaflet's own scripts.
(function () {
  "use strict";

  const field = (name) => document.getElementById(`id_${name}`);
  let theatres = null;

  async function theatre() {
    theatres ??= (await (await fetch("/api/v1/theatres/")).json()).features;
    const chosen = field("theatre")?.selectedOptions[0]?.textContent; // a theatre's name, as in the API
    return theatres.find((feature) => feature.properties.name === chosen) ?? null;
  }

  function referenceLayer(map) {
    const layers = L.layerGroup().addTo(map);
    async function refresh() {
      const found = await theatre();
      layers.clearLayers();
      if (!found) return;
      L.geoJSON(found.geometry, { pane: "reference", interactive: false,
        style: { color: "#222", weight: 2, fill: false } }).addTo(layers);
      const date = field("date")?.value ?? "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
      const response = await fetch(`/api/v1/control/?theatre=${encodeURIComponent(found.properties.slug)}` +
        `&date=${date}&detail=overview`);
      if (!response.ok) return;
      L.geoJSON(await response.json(), { pane: "reference", interactive: false,
        style: (feature) => ({ color: feature.properties.color ?? "#bbb", weight: 1,
          fillColor: feature.properties.color ?? "#bbb", fillOpacity: 0.3 }) }).addTo(layers);
      map.getContainer().dataset.referenceDate = date;
    }
    for (const name of ["date", "theatre"]) field(name)?.addEventListener("change", refresh);
    refresh();
  }

  function previewButton(map) {
    const box = document.createElement("div");
    box.className = "change-preview";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "Preview what this change moves";
    const result = document.createElement("div");
    result.id = "change-preview";
    box.append(button, result);
    map.getContainer().after(box);
    button.addEventListener("click", async () => {
      const body = new FormData();
      for (const name of ["theatre", "date", "controller", "area"]) body.append(name, field(name)?.value ?? "");
      body.append("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
      const response = await fetch("/admin/territory/controlchange/preview/", { method: "POST", body });
      const answer = await response.json();
      result.replaceChildren();
      if (!response.ok) {
        result.append(Object.assign(document.createElement("p"), { className: "errornote", textContent: answer.error }));
        return;
      }
      const table = document.createElement("table");
      for (const move of answer.moves) {
        const row = table.insertRow();
        row.insertCell().textContent = move.name;
        row.insertCell().textContent = `${move.km2 > 0 ? "+" : ""}${move.km2.toLocaleString("en")} km²`;
      }
      const total = `The area drawn: ${answer.area_km2.toLocaleString("en", { maximumFractionDigits: 1 })} km², ` +
        "against the published map of that date (drafts not included).";
      result.append(Object.assign(document.createElement("p"), { textContent: total }), table);
      if (answer.repaired) result.append(Object.assign(document.createElement("p"), { textContent: answer.repaired }));
    });
  }

  // django-leaflet's store keeps only the outer ring of each part of a MultiPolygon when it
  // saves the drawing: an enclave (a hole) would be lost at the first edit. This one keeps
  // every ring of every part (territory/admin.py names it for the area field).
  document.addEventListener("DOMContentLoaded", () => {
    if (!window.L?.FieldStore) return; // a page of the admin with no map (the list of changes)
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
  });

  window.addEventListener("map:init", (event) => {
    if (!field("area") || !event.detail.id.startsWith("id_area")) return;
    const map = event.detail.map;
    map.getContainer().leafletMap = map; // for other scripts on the page (and the browser tests)
    map.createPane("reference");
    Object.assign(map.getPane("reference").style, { zIndex: 350, pointerEvents: "none" }); // under the drawing
    referenceLayer(map);
    previewButton(map);
  });
})();
