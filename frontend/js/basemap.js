// A vector basemap under the tiles: neighbouring countries and the theatre, from our own static
// files and API. When the tile server is unreachable (offline newsroom, blocked CDN), the reader
// still sees where the map is; when tiles load, they cover it.
import { getJson } from "./api.js";

export async function addBasemap(map, neighboursUrl, theatreFeature) {
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 150; // below the tile pane (200)
  // One canvas for the whole basemap: it never takes clicks, and a bitmap is cheap to pan.
  const renderer = L.canvas({ pane: "basemap" });
  L.geoJSON(theatreFeature, {
    renderer,
    style: { color: "#8c8c8c", weight: 1.5, fillColor: "#f4f1ea", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
  const neighbours = await getJson(neighboursUrl);
  L.geoJSON(neighbours, {
    renderer,
    style: { color: "#b5b5b5", weight: 1, fillColor: "#e3e3e3", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
}
