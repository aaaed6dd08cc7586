// The map page's view state: one object saying what the reader asked to see, and the pure
// decision of what draws it. map-page.js keeps the object, changes it in one place (`update`)
// and draws whatever `planOf` says in its one render path. No DOM and no Leaflet here.
import { DETAIL_ZOOM } from "./detail-layer.js";

// `day`: the date on the slider (whole UTC days, days.js); `zoom`: the map's; `drafts`: the
// editors' preview (?drafts=1); `pinned`: a cited build's layers (the tiles are the current
// build's, so the overview stays at every zoom); `piecesLoaded`: the pieces and history have arrived.
// `smallZoom`: the deepest zoom at which the theatre is small on screen (SMALL_ACROSS pixels or
// fewer); `coarse`: draw the small country view whatever the zoom (an embed's first paint).
export function createViewState({ zoom, drafts, pinned = false, smallZoom = -1, coarse = false, compare = null }) {
  return { day: null, compare, zoom, drafts, pinned, piecesLoaded: false, smallZoom, coarse };
}

export const SMALL_ACROSS = 400; // /control/?detail=small is made for about 300 pixels across

// The deepest zoom at which `bounds` measure SMALL_ACROSS pixels or fewer across, by `project`
// (Leaflet's map.project: a LatLng at a zoom to pixels); -1 if none.
export function smallZoomOf(bounds, project) {
  let zoom = -1;
  for (let z = 0; z <= 20; z++) {
    const [a, b] = [project(bounds.getNorthWest(), z), project(bounds.getSouthEast(), z)];
    if (Math.max(b.x - a.x, b.y - a.y) > SMALL_ACROSS) break;
    zoom = z;
  }
  return zoom;
}

// The start of the control interval containing `day` (undefined before the first change):
// layers are fetched per interval, so scrubbing within one re-uses the response (and the
// browser cache) instead of a new request.
export function intervalStart(changeDays, day) {
  let start = changeDays[0];
  for (const change of changeDays) if (change <= day) start = change;
  return start;
}

// What draws the view, given the timeline's `changeDays` and `headDay` (null unless an edit's
// layers are being rebuilt). `source`, where the date's territory comes from:
// - "preview": ?drafts=1, GET /control/preview/ (staff only, never cached), for each date, since
//   the drafts' dates are not the published change dates;
// - "pieces": the pieces recoloured from their history, with no request, once they have loaded
//   and before head_date (from it on, /control/ has an edit the pieces, the previous build's, lack);
// - "layer": the date's dissolved country view from GET /control/ (the first view, and meanwhile).
// `key`: the date the layer is fetched for (and the tiles and the interval label name), null
// before the first published change. `detail`: "tiles" past DETAIL_ZOOM (vector tiles of
// published data, so never in the preview), else "overview" (the source's own layer). `level`:
// the country view a "layer" is fetched at, "small" while the theatre is small on screen (or
// for a coarse first paint), else "overview". `patterns`: whether the confidence patterns are
// drawn over it (confidence-layer.js): wherever the land drawn is dissolved by controller alone
// (a "layer", or the tiles), if some control is less than confirmed and the build's pieces exist
// to answer from (`unsure`).
export function planOf(view, { changeDays, headDay, unsure = true }) {
  let source = "layer";
  if (view.drafts) source = "preview";
  else if (view.piecesLoaded && (headDay === null || view.day < headDay)) source = "pieces";
  const start = source === "preview" ? view.day : intervalStart(changeDays, view.day);
  const key = start === undefined || view.day < start ? null : start;
  const detail = !view.drafts && !view.pinned && view.zoom >= DETAIL_ZOOM ? "tiles" : "overview";
  const level = source === "layer" && (view.coarse || view.zoom <= view.smallZoom) ? "small" : "overview";
  const patterns = unsure && !view.pinned && source !== "preview" && key !== null
    && (source === "layer" || detail === "tiles");
  return { day: view.day, source, key, detail, level, patterns };
}
