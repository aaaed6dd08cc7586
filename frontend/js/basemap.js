// A vector basemap under the tiles: neighbouring countries, the theatre and a few city names,
// from our own static files and API. When the tile server is unreachable (offline newsroom,
// blocked CDN), the reader still sees where the map is; when tiles load, they cover it.
// The neighbours file (fixtures/README.md) covers its `bbox`, and the view stays inside it: no
// straight edge of the data passes for a coast. Its countries reach a little into Syria, under
// the theatre. Its points (kind "label") are city names.
import { getJson } from "./api.js";
import { LANG } from "./i18n.js";

// Labels of each rank show from this zoom on (rank 1: the largest cities).
const LABEL_ZOOMS = [0, 0, 6, 7];

function addStylesheet() {
  const href = new URL("../css/basemap.css", import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

// Draws the basemap; resolves to a function that takes it away again (the admin's forms draw
// another when the editor picks another theatre).
export async function addBasemap(map, neighboursUrl, theatreFeature) {
  addStylesheet();
  if (!map.getPane("basemap")) {
    map.createPane("basemap").style.zIndex = 150; // below the tile pane (200)
    // City names: over the control layer (400), under the markers (450); never clicked.
    Object.assign(map.createPane("basemap-labels").style, { zIndex: 420, pointerEvents: "none" });
  }
  const drawn = L.layerGroup().addTo(map);
  // One canvas for the whole basemap: it never takes clicks, and a bitmap is cheap to pan.
  const renderer = L.canvas({ pane: "basemap" });
  const theatre = L.geoJSON(theatreFeature, {
    renderer,
    style: { color: "#8c8c8c", weight: 1.5, fillColor: "#f4f1ea", fillOpacity: 1 },
    interactive: false,
  }).addTo(drawn);
  const neighbours = await getJson(neighboursUrl);
  const isLabel = (feature) => feature.properties?.kind === "label";
  L.geoJSON(neighbours, {
    renderer,
    filter: (feature) => !isLabel(feature),
    style: { color: "#b5b5b5", weight: 1, fillColor: "#e3e3e3", fillOpacity: 1 },
    interactive: false,
  }).addTo(drawn);
  theatre.bringToFront();
  const undo = [addLabels(map, drawn, neighbours.features.filter(isLabel))];
  if (neighbours.bbox) undo.push(keepTheViewIn(map, neighbours.bbox, theatreFeature));
  map.getContainer().dataset.basemapDrawn = "true";
  return () => {
    undo.forEach((step) => step());
    drawn.remove();
    renderer.remove(); // its canvas stays on the map after its paths are gone
    delete map.getContainer().dataset.basemapDrawn;
  };
}

// City names in `drawn`, each rank from its zoom on; returns what stops following the zoom.
function addLabels(map, drawn, features) {
  const ranks = LABEL_ZOOMS.map(() => L.layerGroup());
  for (const { geometry, properties } of features) {
    const name = document.createElement("span");
    name.className = "basemap-label-name";
    const arabic = LANG === "ar" && properties.name_ar; // the page's language, where the place has a name in it
    name.lang = arabic ? "ar" : "en";
    name.dir = "auto";
    name.textContent = arabic || properties.name_en;
    const rank = Math.min(Math.max(properties.rank ?? 1, 1), LABEL_ZOOMS.length - 1);
    const [lng, lat] = geometry.coordinates;
    L.marker([lat, lng], {
      pane: "basemap-labels",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: `basemap-label basemap-label-rank-${rank}`, html: name, iconSize: null }),
    }).addTo(ranks[rank]);
  }
  const show = () => ranks.forEach((group, rank) => {
    if (map.getZoom() >= LABEL_ZOOMS[rank]) drawn.addLayer(group);
    else drawn.removeLayer(group);
  });
  map.on("zoomend", show);
  show();
  return () => map.off("zoomend", show);
}

// The view never shows past [west, south, east, north] if the theatre is inside it: maxBounds,
// and the smallest zoom at which the map fits in it (again when resized). Returns what lets
// the view go again.
function keepTheViewIn(map, [west, south, east, north], theatreFeature) {
  const box = L.latLngBounds([south, west], [north, east]);
  const theatre = L.geoJSON(theatreFeature).getBounds();
  if (!theatre.isValid() || !box.contains(theatre)) return () => {};
  const configured = map.options.minZoom ?? 0;
  const fit = () => {
    if (!map.getSize().x || !map.getSize().y) return;
    map.options.minZoom = configured; // getBoundsZoom answers no less than the minimum
    map.setMinZoom(Math.max(configured, map.getBoundsZoom(box, true)));
  };
  map.options.maxBoundsViscosity = 1; // a drag stops at the edge
  fit();
  map.setMaxBounds(box);
  map.on("resize", fit);
  return () => {
    map.off("resize", fit);
    map.setMaxBounds(null);
    map.setMinZoom(configured);
  };
}
