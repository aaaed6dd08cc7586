// The event form's map in the admin (conflictmap/events/admin.py): picking a gazetteer place in
// the Place box puts the event's point at the place, on the map and in the field, at once, so
// the editor sees where the event will be drawn and can move the point before saving.
//
// An ES module (events/admin.py loads it with type="module", beside django-leaflet's classic
// scripts): it runs once the page is parsed, before the window's load event on which
// django-leaflet makes the form's map (the widget's loadevent, pinned in events/admin.py), so
// its map:init listener is in place in time to hear the field load. The place's URL is the
// page's (events/admin.py, by reverse()): a deployment may mount the admin elsewhere.
import { adminMapUrls, chosenTheatre } from "./admin-urls.js";
import { addBasemap } from "./basemap.js";
import { el } from "./dom.js";

function followThePlaceBox(map, geometryField, placeUrl) {
  const note = el("p", { class: "help", id: "place-point-note" });
  map.getContainer().after(note);
  // The box is a select2 widget: it announces a pick through jQuery, not a DOM event.
  window.django.jQuery("#id_place").on("change", async (event) => {
    const id = event.target.value;
    if (!id) return;
    const response = await fetch(placeUrl.replace("{id}", encodeURIComponent(id)));
    if (!response.ok) return;
    const place = await response.json();
    document.getElementById("id_location").value = JSON.stringify(place.point);
    geometryField.drawnItems.clearLayers();
    geometryField.load(); // draws the field's new value, as on opening the form
    map.setView([place.point.coordinates[1], place.point.coordinates[0]], Math.max(map.getZoom(), 9));
    note.textContent = `The point is set to ${place.name}, from the gazetteer; move it with the edit tool if ` +
      "the event was elsewhere.";
  });
}

window.addEventListener("map:init", (event) => {
  if (!event.detail.id.startsWith("id_location") || !document.getElementById("id_place")) return;
  const map = event.detail.map;
  const { place, theatres, basemap } = adminMapUrls();
  map.on("map:loadfield", ({ field }) => followThePlaceBox(map, field, place));
  showTheBasemap(map, theatres, basemap).catch(() => {}); // the tiles, if reachable, still show
});

// The theatre chosen in the form (by the name the select shows, as the API names it) and the
// neighbouring countries, drawn under the tiles: an editor offline still sees where a point is.
async function showTheBasemap(map, theatresUrl, neighboursUrl) {
  const theatre = await chosenTheatre(theatresUrl);
  await addBasemap(map, neighboursUrl, theatre ?? { type: "FeatureCollection", features: [] });
  map.getContainer().dataset.basemap = "ready";
}
