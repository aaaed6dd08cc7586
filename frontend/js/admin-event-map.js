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

// The Place box looks within the theatre chosen in the form: its searches (Django's
// autocomplete, through jQuery) carry the theatre, which PlaceAdmin.get_search_results reads.
window.django?.jQuery?.ajaxPrefilter((options) => {
  const asked = new URLSearchParams(options.data ?? "");
  const theatre = document.getElementById("id_theatre")?.value;
  if (asked.get("model_name") === "event" && asked.get("field_name") === "place" && theatre) {
    options.data += `&${new URLSearchParams({ theatre_id: theatre })}`;
  }
});

window.addEventListener("map:init", (event) => {
  if (!event.detail.id.startsWith("id_location") || !document.getElementById("id_place")) return;
  const map = event.detail.map;
  const { place, theatres } = adminMapUrls();
  map.on("map:loadfield", ({ field }) => followThePlaceBox(map, field, place));
  followTheTheatreBox(map, theatres);
});

// The theatre chosen in the form (by the name the select shows, as the API names it) and the
// countries around it, drawn under the tiles: an editor offline still sees where a point is.
// Drawn again, one after the other, when the editor picks another theatre.
function followTheTheatreBox(map, theatresUrl) {
  const nothing = () => {};
  let drawn = Promise.resolve(nothing); // resolves to what takes the last one away
  const show = () => {
    drawn = drawn.then(async (removeTheLast) => {
      removeTheLast();
      const theatre = await chosenTheatre(theatresUrl);
      const remove = theatre ? await addBasemap(map, theatre.properties.basemap, theatre) : nothing;
      map.getContainer().dataset.basemap = theatre?.properties.slug ?? ""; // whose is drawn
      return remove;
    }).catch(() => nothing); // the tiles, if reachable, still show
  };
  document.getElementById("id_theatre")?.addEventListener("change", show);
  show();
}
