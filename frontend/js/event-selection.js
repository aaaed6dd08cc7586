// The event a reader selected (a card's title, a search result, or a shared link's `event=`):
// its card in a popup at its place, the map moved there if it is out of view. An event without
// a place opens at the map's centre, and its card says it has none. map-page.js keeps it in the
// URL and moves the date so that the markers show it.
import { el } from "./dom.js";
import { eventCard } from "./events-layer.js";

// `ask(id)`: a promise of its /api/v1/events/<id>/ feature; `link`: the cards' (events-layer.js);
// `onClose()`: its popup was closed (or another opened in its place).
export function createEventSelection(map, { ask, link, onClose }) {
  const features = new Map(); // id -> promise of its feature (a failed one is forgotten)
  let popup = null;
  let current = null;
  return {
    // Open the event's card; a promise of its feature.
    async open(id) {
      if (!features.has(id)) {
        features.set(id, ask(id).catch((error) => {
          features.delete(id);
          throw error;
        }));
      }
      const feature = await features.get(id);
      current = id;
      const located = feature.geometry !== null;
      const at = located ? L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]) : map.getCenter();
      if (located && !map.getBounds().contains(at)) map.setView(at, Math.max(map.getZoom(), 9));
      popup = L.popup({ maxWidth: 340, maxHeight: 360, className: "selected-event" }).setLatLng(at)
        .setContent(el("div", { class: "event-popup" }, eventCard(feature, link)))
        .on("remove", () => {
          if (current !== id) return; // another event's card took its place
          current = null;
          map.getContainer().dataset.selectedEvent = "";
          onClose();
        });
      popup.openOn(map);
      map.getContainer().dataset.selectedEvent = id;
      return feature;
    },
    close() {
      if (popup) map.closePopup(popup);
    },
  };
}
