// The full map page: wires the API, the map, the timeline, the legend and the URL together.
import { apiUrl, getJson } from "./api.js";
import { addBasemap } from "./basemap.js";
import { createControlLayer } from "./control-layer.js";
import { createDetailLayer, DETAIL_ZOOM } from "./detail-layer.js";
import { dayFromIso, formatDay, isoFromDay, monthOf } from "./days.js";
import { createEventsLayer } from "./events-layer.js";
import { createPiecesLayer } from "./pieces-layer.js";
import { createTimeline } from "./timeline.js";
import { readState, writeState } from "./url-state.js";

const EVENT_WINDOW_DAYS = 14; // events shown: the two weeks up to the selected date

const $ = (id) => document.getElementById(id);
const afterPaint = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
const nextFrame = () => new Promise((done) => requestAnimationFrame(done));

function report(message) {
  $("status").textContent = message;
}

// The start of the control interval containing `day`: layers are fetched per interval, so
// scrubbing within one re-uses the response (and the browser cache) instead of a new request.
function intervalStart(changeDays, day) {
  let start = changeDays[0];
  for (const change of changeDays) if (change <= day) start = change;
  return start;
}

async function start(map) {
  const container = map.getContainer();
  const api = container.dataset.api;
  const theatreSlug = container.dataset.theatre;
  const state = readState();
  // Leaflet caches the container size; the page layout settles after the map is created.
  new ResizeObserver(() => map.invalidateSize()).observe(container);

  // The event types' colours come from the server (GET /event-types/, Event.TYPE_COLORS), asked
  // for once with the first requests. Without them the markers are drawn, in grey.
  const [theatres, timeline, eventTypes] = await Promise.all([
    getJson(`${api}theatres/`),
    getJson(apiUrl(api, "timeline/", { theatre: theatreSlug })),
    getJson(`${api}event-types/`).catch((error) => {
      report(`Event colours: ${error.message}`);
      return [];
    }),
  ]);
  const theatre = theatres.features.find((feature) => feature.properties.slug === theatreSlug);
  addBasemap(map, container.dataset.basemap, theatre).catch((error) => report(`Basemap: ${error.message}`));
  if (state.view) map.setView([state.view.lat, state.view.lng], state.view.zoom);
  else map.fitBounds(L.geoJSON(theatre).getBounds());

  const control = createControlLayer(map, $("legend").tBodies[0]);
  const detail = createDetailLayer(container.dataset.tiles);
  const eventsLayer = createEventsLayer(map, $("event-list"),
    (params) => getJson(apiUrl(api, "events/", { theatre: theatreSlug, ...params })), eventTypes);
  const changeDays = timeline.change_dates.map(dayFromIso);
  const layers = new Map(); // interval start day -> FeatureCollection
  const months = new Map(); // first day of a month -> Promise of that month's event points
  let wanted = null;
  let pieces = null; // set once the pieces and their history have loaded
  let usePieces = false; // whether the shown date is drawn from them
  // ?drafts=1: editors' preview with drafts (GET /control/preview/, staff only, never cached):
  // each date from the server, since the drafts' dates are not the published change dates.
  const withDrafts = new URLSearchParams(window.location.search).get("drafts") === "1";
  $("preview-banner").hidden = !withDrafts;

  // Event points come a calendar month at a time as compact arrays (cached), so a long war
  // never loads all at once and a day's step rarely needs a request; details load on demand.
  function pointsOfMonth(firstDay, nextDay) {
    if (!months.has(firstDay)) {
      const query = { theatre: theatreSlug, from: isoFromDay(firstDay), to: isoFromDay(nextDay) };
      months.set(firstDay, getJson(apiUrl(api, "events/points/", query)));
    }
    return months.get(firstDay);
  }

  async function showEvents(day) {
    const from = day - EVENT_WINDOW_DAYS + 1;
    const chunks = [];
    for (let [first, next] = monthOf(from); first <= day; [first, next] = monthOf(next)) {
      chunks.push(pointsOfMonth(first, next));
    }
    const blocks = await Promise.all(chunks);
    // The control layer first; the markers once the date has rested for a frame. While the
    // reader drags the slider (a date a frame), a fortnight of a long war's markers redrawn
    // at every date would take the frames the territory needs; they follow when it stops.
    await afterPaint();
    await nextFrame();
    if (wanted !== day) return;
    const shown = eventsLayer.show(blocks, from, day + 1);
    $("events-window").textContent = `${formatDay(from)} – ${formatDay(day)}: ${shown} on the map`;
    container.dataset.markersDate = isoFromDay(day);
  }

  function labelInterval(key) {
    const next = changeDays.find((change) => change > key);
    $("interval-label").textContent = next
      ? `Lines as of ${formatDay(key)}; next change ${formatDay(next)}.`
      : `Lines as of ${formatDay(key)}; no later change recorded.`;
  }

  async function showDay(day) {
    wanted = day;
    writeState({ date: day, view: viewOf(map) });
    showEvents(day).catch((error) => report(`Could not load events: ${error.message}`));
    const key = withDrafts ? day : intervalStart(changeDays, day);
    if (key === undefined || day < key) {
      report("No control data before the first published change.");
      return;
    }
    detail.show(key);
    // From head_date on, /control/ has an edit the pieces (the previous build's) do not yet.
    const headDay = timeline.head_date ? dayFromIso(timeline.head_date) : null;
    const wasUsingPieces = usePieces;
    usePieces = Boolean(pieces) && !(headDay !== null && day >= headDay);
    if (usePieces) { // no request: recolour the pieces from the history
      chooseLayers();
      pieces.show(day, { redraw: !wasUsingPieces }); // the legend was the dissolved layer's
      labelInterval(key);
      container.dataset.shownDate = isoFromDay(day);
      return;
    }
    try {
      if (!layers.has(key)) {
        layers.set(key, await getJson(withDrafts
          ? apiUrl(api, "control/preview/", { theatre: theatreSlug, date: isoFromDay(key) })
          : apiUrl(api, "control/", { theatre: theatreSlug, date: isoFromDay(key), detail: "overview" })));
      }
      if (wanted !== day) return; // the reader has moved on; a later call draws
      const collection = layers.get(key);
      if (wanted !== day) return;
      chooseLayers();
      control.show(collection);
      labelInterval(key);
      container.dataset.shownDate = isoFromDay(day);
      report("");
    } catch (error) {
      layers.delete(key);
      report(`Could not load the control layer: ${error.message}`);
    }
  }

  const slider = createTimeline(
    { slider: $("date-slider"), label: $("date-label"), prev: $("prev-change"), next: $("next-change"), play: $("play") },
    { firstDay: dayFromIso(timeline.start_date), lastDay: dayFromIso(timeline.end_date), changeDays },
    showDay,
  );
  map.on("moveend", () => writeState({ date: slider.current(), view: viewOf(map) }));
  // Overview: pieces (or the dissolved layer until they load); past DETAIL_ZOOM: vector tiles.
  function chooseLayers() {
    const near = !withDrafts && map.getZoom() >= DETAIL_ZOOM; // the tiles hold published data only
    const [overview, other] = usePieces ? [pieces.layer, control.layer] : [control.layer, pieces?.layer];
    other?.remove();
    if (near) {
      overview.remove();
      detail.layer.addTo(map);
    } else {
      detail.layer.remove();
      overview.addTo(map);
    }
    container.dataset.detail = near ? "tiles" : "overview";
  }
  map.on("zoomend", chooseLayers);
  slider.set(state.date ?? dayFromIso(timeline.end_date));
  chooseLayers();

  // After the first view: the pieces and their history, so that scrubbing needs no requests.
  // Right after an edit the timeline may name none yet: each date is then drawn from /control/.
  if (withDrafts || !timeline.pieces_url || !timeline.history_url) return;
  Promise.all([getJson(timeline.pieces_url), getJson(timeline.history_url)]).then(([geometry, history]) => {
    pieces = createPiecesLayer(map, $("legend").tBodies[0], geometry, history);
    showDay(slider.current());
    container.dataset.pieces = "ready";
  }).catch((error) => report(`Scrubbing will load each date: ${error.message}`));
}

function viewOf(map) {
  const center = map.getCenter();
  return { zoom: map.getZoom(), lat: center.lat, lng: center.lng };
}

window.addEventListener("map:init", (event) => {
  start(event.detail.map).catch((error) => report(`Could not load the map: ${error.message}`));
});
