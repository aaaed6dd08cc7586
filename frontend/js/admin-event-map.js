// The event form's map in the admin (conflictmap/events/admin.py): picking a gazetteer place in
// the Place box puts the event's point at the place, on the map and in the field, at once, so
// the editor sees where the event will be drawn and can move the point before saving.
// A classic script, not a module: the admin loads it with django-leaflet's own scripts.
(function () {
  "use strict";

  function followThePlaceBox(map, geometryField) {
    const note = Object.assign(document.createElement("p"), { className: "help", id: "place-point-note" });
    map.getContainer().after(note);
    // The box is a select2 widget: it announces a pick through jQuery, not a DOM event.
    window.django.jQuery("#id_place").on("change", async (event) => {
      const id = event.target.value;
      if (!id) return;
      const response = await fetch(`/admin/events/event/place/${encodeURIComponent(id)}/`);
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
    map.on("map:loadfield", ({ field }) => followThePlaceBox(map, field));
  });
})();
