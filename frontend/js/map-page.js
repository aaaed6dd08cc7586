// The full map page, and the embed (data-embed: its state comes from data-state, a slider only
// for a range, and the URL it updates is its "full map" link's): wires the API, the map, the
// timeline, the legend and the URL together. What the reader asked to see is one view state
// (view-state.js), changed only by `update`; `render` is the one path that draws it.
import { apiUrl, getJson } from "./api.js";
import { addBasemap } from "./basemap.js";
import { createControlLayer } from "./control-layer.js";
import { createDetailLayer } from "./detail-layer.js";
import { dayFromIso, formatDay, isoFromDay } from "./days.js";
import { createEventsLayer } from "./events-layer.js";
import { createEventWindow } from "./event-window.js";
import { createPalette } from "./palette.js";
import { createTimeline } from "./timeline.js";
import { encodeState, rangeOf, readState, writeState } from "./url-state.js";
import { createViewState, planOf, smallZoomOf } from "./view-state.js";
import { _, fill, LANG } from "./i18n.js";
import { number } from "./dom.js";
import { report } from "./status.js";

const EVENT_WINDOW_DAYS = 14; // events shown: the two weeks up to the selected date

const $ = (id) => document.getElementById(id);
const afterPaint = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
const nextFrame = () => new Promise((done) => requestAnimationFrame(done));

async function start(map) {
  const container = map.getContainer();
  const api = container.dataset.api;
  const theatreSlug = container.dataset.theatre;
  const embedded = container.dataset.embed === "true";
  // The date, map view, range and filters a shared link (or the embed's saved view) names.
  const fromUrl = readState(container.dataset.state ?? window.location.search);
  // Which events show (event-filters.js; a saved view's `types`): the types are drawn from the
  // points every marker has; the sides and the reports' confidence are asked of the server.
  const filters = { types: fromUrl.types ?? null, actors: fromUrl.actors ?? null,
    confidence: fromUrl.confidence ?? null };
  const listOf = (set) => (set ? [...set].sort().join(",") : null);
  const askedFilters = () => Object.fromEntries(Object.entries({ actor: listOf(filters.actors),
    confidence: listOf(filters.confidence) }).filter(([, value]) => value !== null));
  // A filter that lets nothing through (every box of a kind unticked): no event to ask for.
  const noneAsked = () => Object.values(filters).some((set) => set?.size === 0);
  const pin = fromUrl.build ? { build: fromUrl.build } : {}; // a cited build's layers (url-state.js)
  const range = rangeOf(fromUrl); // a slider's [first, last] day, if the view gives one
  // Leaflet caches the container size; the page layout settles after the map is created.
  new ResizeObserver(() => map.invalidateSize()).observe(container);

  // An embed asks only for the dates it shows (its range, or its one date: the view's, or the
  // latest when the server sent the page, data-shown), not a long war's every change and day;
  // the page preloads that timeline and the first layer by the URLs built here (embeds/views.py).
  const shownDay = fromUrl.date ?? range?.[1] ?? (container.dataset.shown ? dayFromIso(container.dataset.shown) : null);
  const [windowFrom, windowTo] = range ?? [shownDay, shownDay];
  const dates = embedded && shownDay !== null ? { from: isoFromDay(windowFrom), to: isoFromDay(windowTo) } : {};
  // The outline and basemap as soon as they come: a war with nothing published yet shows where it is.
  // The event types' colours (GET /event-types/, Event.TYPE_COLORS) come once with the first requests
  // (without them, grey markers); an Arabic page names the factions in Arabic (/factions/, name_ar).
  const outline = getJson(`${api}theatres/${encodeURIComponent(theatreSlug)}/`).then((theatre) => {
    addBasemap(map, container.dataset.basemap, theatre).catch((error) => report(`Basemap: ${error.message}`));
    if (fromUrl.view) map.setView([fromUrl.view.lat, fromUrl.view.lng], fromUrl.view.zoom);
    else map.fitBounds(L.geoJSON(theatre).getBounds());
    return theatre;
  });
  const [theatre, timeline, eventTypes, arabicNames] = await Promise.all([
    outline,
    getJson(apiUrl(api, "timeline/", { theatre: theatreSlug, ...pin, ...dates })),
    getJson(apiUrl(api, "event-types/", { theatre: theatreSlug, lang: LANG })).catch((error) => {
      report(fill(_("Event colours: %(error)s"), { error: error.message }));
      return [];
    }),
    LANG === "ar" ? getJson(apiUrl(api, "factions/", { theatre: theatreSlug })).catch(() => []) : [],
  ]);
  const palette = createPalette(fromUrl.factions ?? null,
    new Map(arabicNames.filter((faction) => faction.name_ar).map((faction) => [faction.slug, faction.name_ar])));
  const theatreBounds = L.geoJSON(theatre).getBounds();

  const control = createControlLayer(map, $("legend").tBodies[0], palette);
  const detail = createDetailLayer(container.dataset.tiles, container.dataset.vectorgrid, palette);
  const eventsLayer = createEventsLayer(map, $("event-list"), (params) => (noneAsked()
    ? Promise.resolve({ features: [], count: 0 })
    : getJson(apiUrl(api, "events/", { theatre: theatreSlug, lang: LANG,
      ...(filters.types ? { type: listOf(filters.types) } : {}), ...askedFilters(), ...params }))),
  eventTypes, filters.types, {
    href: (id) => (embedded ? `${$("full-map").pathname}?${fullQuery({ event: id })}`
      : `?${encodeState({ ...stateNow(), event: id })}`),
    pick: embedded ? null : (id) => selectEvent(id, { picked: true }),
  });
  const changeDays = timeline.change_dates.map(dayFromIso);
  const facts = { changeDays, headDay: timeline.head_date ? dayFromIso(timeline.head_date) : null,
    unsure: Boolean(timeline.pieces_url) && timeline.unsure !== false };
  // ?drafts=1: the editors' preview with drafts (view-state.js says where its dates come from).
  const drafts = !embedded && fromUrl.drafts === true;
  $("preview-banner").hidden = !drafts;

  // The country view comes at two sizes (/control/?detail=small|overview), chosen by how large
  // the theatre is on screen; an embed paints the small one first (the page preloads it), then,
  // in a large frame, the overview.
  const smallZoom = smallZoomOf(theatreBounds, (latLng, zoom) => map.project(latLng, zoom));
  const view = createViewState({ zoom: map.getZoom(), drafts, pinned: Boolean(fromUrl.build), smallZoom,
    coarse: embedded, compare: embedded ? null : fromUrl.compare ?? null });
  let pieces = null; // the pieces layer, once the pieces and their history have loaded
  let chart = null; // the area chart (the full map's), from the same history
  let tools = null; // the full map's tools for reading a date (reader-tools.js)
  let shown = null; // the plan last drawn: what is on the map
  let renders = 0; // each render's number: only the latest may draw
  let markersDay = null; // the date whose markers were last asked for
  const layers = new Map(); // "source date" -> Promise of that FeatureCollection
  const blocksOf = createEventWindow({ api, theatreSlug, oneDate: embedded && !range, askedFilters, noneAsked });

  // A step (a key, a button, a date picked) draws its markers with its territory. While the
  // reader drags the slider or plays (`moving`: a date a frame), a fortnight of a long war's
  // markers redrawn at every date would take the frames the territory needs: the territory
  // first, the markers once the date has rested for a frame.
  async function showEvents(day, moving) {
    const from = day - EVENT_WINDOW_DAYS + 1;
    const blocks = await blocksOf(from, day);
    if (moving) {
      await afterPaint();
      await nextFrame();
    }
    if (view.day !== day) return;
    const shownCount = eventsLayer.show(blocks, from, day + 1);
    $("events-window").textContent = fill(_("%(from)s – %(to)s: %(count)s on the map"),
      { from: formatDay(from), to: formatDay(day), count: number(shownCount) });
    container.dataset.markersDate = isoFromDay(day);
  }

  // The layer a plan draws ("layer" or "preview"), asked for once per source and date; a
  // failed request is forgotten, so the next render of that date asks again.
  function layerOf({ source, key, level }) {
    const name = `${source} ${key} ${level}`;
    if (!layers.has(name)) {
      const query = { theatre: theatreSlug, date: isoFromDay(key), ...pin };
      const url = source === "preview"
        ? apiUrl(api, "control/preview/", query)
        : apiUrl(api, "control/", { ...query, detail: level });
      layers.set(name, getJson(url).catch((error) => {
        layers.delete(name);
        throw error;
      }));
    }
    return layers.get(name);
  }

  function labelInterval(key) {
    const next = changeDays.find((change) => change > key);
    $("interval-label").textContent = next
      ? fill(_("Lines as of %(day)s; next change %(next)s."), { day: formatDay(key), next: formatDay(next) })
      : fill(_("Lines as of %(day)s; no later change recorded."), { day: formatDay(key) });
  }

  // Overview (the source's own layer) or, past DETAIL_ZOOM, the vector tiles: on the map alone.
  function place(plan) {
    const overview = plan.source === "pieces" ? pieces.layer : control.layer;
    const onMap = plan.detail === "tiles" ? detail.layer : overview;
    for (const layer of [control.layer, pieces?.layer, detail.layer]) {
      if (layer === onMap) layer.addTo(map);
      else layer?.remove();
    }
    container.dataset.detail = plan.detail;
    showPatterns(plan.patterns ? plan.key : null);
    showFronts(plan);
  }

  // The front lines (fronts-layer.js): asked for, or found in what an embed draws (drawn-fronts.js).
  let fronts = null; // a promise of their layer, imported with the first date drawn
  const showFronts = (plan) => drafts || (fromUrl.build && !embedded) || (fronts ??= import("./fronts-layer.js")
    .then((module) => module.frontsOf(map, $("legend"), palette, report,
      embedded ? { pieces: () => pieces, layerOf } : { api, theatreSlug }))).then((layer) => layer.show(plan));

  // The confidence patterns over land dissolved by controller alone (planOf's `patterns`) of a
  // date (null: none), imported with the first date that has some.
  let patterns = null; // a promise of their layer
  function showPatterns(day) {
    if (!patterns && day === null) return;
    patterns ??= import("./confidence-layer.js").then(({ createConfidenceLayer }) => createConfidenceLayer(map,
      (key) => getJson(apiUrl(api, "control/confidence/", { theatre: theatreSlug, date: isoFromDay(key) })),
      $("confidence-key")?.tBodies[0]));
    patterns.then((layer) => layer.show(day)).catch((error) => report(fill(
      _("Could not load the confidence patterns: %(error)s"), { error: error.message })));
  }

  // Draw the plan's date (`collection`: the layer's, for "layer" and "preview") and say what is
  // shown. Only what changed is redrawn: the pieces restyle the pieces that changed hands; the
  // dissolved layer is redrawn for another interval (or after the pieces).
  function draw(plan, collection) {
    place(plan);
    if (plan.source === "pieces") {
      pieces.show(plan.day, { redraw: shown?.source !== "pieces" }); // else the legend is the layer's
    } else {
      if (shown?.source !== plan.source || shown?.key !== plan.key || shown?.level !== plan.level) {
        control.show(collection);
      }
      report("", "layer");
    }
    labelInterval(plan.key);
    shown = plan;
    container.dataset.source = plan.source;
    container.dataset.level = plan.level;
    container.dataset.shownDate = isoFromDay(plan.day);
    if (view.coarse) setTimeout(() => update({ coarse: false })); // painted: now the zoom's own level
  }

  // The one render path: draw the view state. The markers follow a new date on their own
  // (showEvents); the territory is drawn now from the pieces (no request), or once its layer
  // has arrived, unless another render has started meanwhile (the reader has moved on: a late
  // response for a date left behind never draws).
  function render(moving = false) {
    const number = ++renders;
    const plan = planOf(view, facts);
    if (plan.day !== markersDay) {
      markersDay = plan.day;
      showEvents(plan.day, moving).catch((error) => report(fill(_("Could not load events: %(error)s"),
        { error: error.message })));
    }
    if (plan.key === null) {
      report(_("No control data before the first published change."), "layer");
      return;
    }
    detail.show(plan.key);
    // The tiles draw the date themselves (detail-layer.js): on the map now, as the reader zooms
    // in or at the first view, whichever overview layer the date's draw will use.
    if (plan.detail === "tiles") place(plan);
    if (plan.source === "pieces") {
      draw(plan, null);
      return;
    }
    layerOf(plan).then(
      (collection) => number === renders && draw(plan, collection),
      (error) => number === renders && report(fill(_("Could not load the control layer: %(error)s"),
        { error: error.message }), "layer"),
    );
  }

  // The URL (url-state.js): a shared or reloaded link shows the same date, place, filters and
  // preview. An embed leaves its own address alone and keeps its "full map" link in step.
  let spot = fromUrl.place ?? null; // the spot whose history is open (place-popup.js)
  let selected = fromUrl.event ?? null; // the event whose card is open (event-selection.js)
  const stateNow = () => ({ ...fromUrl, ...filters, date: view.day, compare: view.compare, view: viewOf(map),
    place: spot, event: selected, drafts: view.drafts });
  const fullQuery = (extra = {}) => encodeState({ ...stateNow(), drafts: null, ...extra }); // the theatre is in the path
  const remember = (push = false) => {
    if (embedded) {
      $("full-map").search = `?${fullQuery()}`;
      return;
    }
    writeState(stateNow(), { push });
    const switcher = $("language-switch"); // the same view in the other language
    if (switcher) switcher.search = `?${encodeState({ ...stateNow(), lang: switcher.hreflang })}`;
  };

  // Every change of the view state comes through here, and is drawn. `picked`: the reader chose
  // it (a history entry); `fromHistory`: Back or Forward brought it (the address is already it).
  // `moving`: the slider is dragged or plays (showEvents).
  function update(change, { picked = false, fromHistory = false, moving = false } = {}) {
    Object.assign(view, change);
    if ("day" in change || "compare" in change) {
      if (!fromHistory) remember(picked);
    }
    tools?.changed(change);
    render(moving);
    chart?.mark(view.day);
  }

  // The slider spans the theatre's record, or the range a view gives (an embed shows its slider
  // only then: otherwise it shows one date, the view's or the latest).
  const [firstDay, lastDay] = range ?? [dayFromIso(timeline.start_date), dayFromIso(timeline.end_date)];
  if (embedded) $("timeline").hidden = range === null;
  const slider = createTimeline(
    { slider: $("date-slider"), label: $("date-label"), prev: $("prev-change"), next: $("next-change"), play: $("play"),
      speed: $("play-speed"), picker: $("date-picker") },
    { firstDay, lastDay, changeDays,
      eventsPerDay: timeline.events_per_day.map(({ date, count }) => [dayFromIso(date), count]),
      unlocatedDays: (timeline.unlocated_per_day ?? []).map(({ date }) => dayFromIso(date)) },
    (day, picked, moving) => update({ day }, { picked, moving }),
  );
  // Back and Forward move between the dates (and comparisons, and events) the reader picked.
  window.addEventListener("popstate", () => {
    const state = readState();
    if (state.compare !== (view.compare ?? undefined)) {
      update({ compare: state.compare ?? null }, { fromHistory: true });
    }
    const day = state.date ?? lastDay; // the first entry may name no date: the latest
    if (day !== view.day) slider.set(day);
    if ((state.event ?? null) !== selected) { // an event's card opened or closed
      if (state.event) selectEvent(state.event);
      else selection?.close();
    }
  });
  // Who held a spot (place-popup.js), on a click, a tap or Enter on the focused map: imported at
  // the first, as an embed's reader may never ask.
  let placePopup = null;
  async function showPlace(latlng) {
    placePopup ??= (await import("./place-popup.js")).createPlacePopup(map, {
      ask: (at) => getJson(apiUrl(api, "control/at/", { theatre: theatreSlug, lat: at.lat.toFixed(5),
        lon: at.lng.toFixed(5), date: isoFromDay(view.day) })),
      palette, firstDay, lastDay, jump: embedded && !range ? null : (day) => slider.set(day), // a fixed embed stays put
      onPlace: (at) => {
        spot = at && { lat: at.lat, lng: at.lng };
        remember(Boolean(at)); // a spot opened is a pick; closed, the entry is replaced
      },
    });
    placePopup.show(latlng);
  }
  // An event selected: its card open, its date on the slider (the markers show the fortnight
  // up to the date) unless the embed shows one date, and its id in the URL.
  let selection = null;
  async function selectEvent(id, { picked = false } = {}) {
    try {
      selection ??= (await import("./event-selection.js")).createEventSelection(map, {
        ask: (eventId) => getJson(apiUrl(api, `events/${eventId}/`, { lang: LANG })),
        link: eventsLayer.link, onClose: () => {
          selected = null;
          remember();
        } });
      const feature = await selection.open(id);
      report("", "event");
      selected = id;
      const day = dayFromIso(feature.properties.date);
      const shown = view.day !== null && day <= view.day && day > view.day - EVENT_WINDOW_DAYS;
      if (!shown && !(embedded && !range)) slider.set(Math.min(Math.max(day, firstDay), lastDay), { picked });
      else remember(picked);
    } catch (error) {
      selected = null;
      report(fill(_("Could not open the event: %(error)s"), { error: error.message }), "event");
    }
  }
  map.on("click", (event) => showPlace(event.latlng).catch((error) => report(error.message)));
  container.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target === container) showPlace(map.getCenter()).catch((e) => report(e.message));
  });
  // The pieces' geometry, for the comparison's hatching: null if none will come.
  let piecesArrived = null;
  const piecesGeometry = new Promise((resolve) => { piecesArrived = resolve; });
  if (!embedded) {
    import("./reader-tools.js").then(({ addReaderTools }) => {
      tools = addReaderTools(map, { api, theatreSlug, view, report, palette, firstDay, lastDay,
        pieces: piecesGeometry, eventTypes, filters, update, showPlace, selectEvent, fullQuery,
        theatreName: theatre.properties.name, eventWindowDays: EVENT_WINDOW_DAYS,
        setFilters: (picked) => {
          const asked = JSON.stringify(askedFilters());
          Object.assign(filters, picked);
          eventsLayer.setTypes(filters.types);
          if (JSON.stringify(askedFilters()) !== asked) { // other events from the server: ask again
            markersDay = null;
            render();
          }
          remember(true);
        } });
    }).catch((error) => report(error.message));
  }
  map.on("moveend", () => remember());
  map.on("zoomend", () => update({ zoom: map.getZoom() }));
  slider.set(fromUrl.date ?? lastDay);
  if (fromUrl.place) showPlace(L.latLng(fromUrl.place.lat, fromUrl.place.lng)); // a shared link's spot
  else if (fromUrl.event) selectEvent(fromUrl.event); // or its event

  // After the first view: the pieces and their history, so that scrubbing needs no requests.
  // Right after an edit the timeline may name none yet: each date is then drawn from /control/.
  // An embed without a slider shows one date: it needs neither.
  if (drafts || (embedded && !range) || !timeline.pieces_url || !timeline.history_url) {
    piecesArrived(null);
    return;
  }
  const withChart = Boolean($("area-chart"));
  Promise.all([getJson(timeline.pieces_url), getJson(timeline.history_url), import("./pieces-layer.js"),
    withChart ? import("./area-chart.js") : null]).then(([geometry, history, { createPiecesLayer }, charts]) => {
    pieces = createPiecesLayer(map, $("legend").tBodies[0], geometry, history, palette,
      $("confidence-key")?.tBodies[0]);
    if (charts) {
      $("area-chart").hidden = false;
      chart = charts.createAreaChart($("area-chart"), history, palette, { firstDay, lastDay,
        onPick: (day) => slider.set(day) });
    }
    update({ piecesLoaded: true });
    piecesArrived(geometry);
    container.dataset.pieces = "ready";
  }).catch((error) => {
    piecesArrived(null);
    report(fill(_("Scrubbing will load each date: %(error)s"), { error: error.message }));
  });
}

function viewOf(map) {
  const center = map.getCenter();
  return { zoom: map.getZoom(), lat: center.lat, lng: center.lng };
}

// The map, made here from the page's settings (data-tile-url, zoom limits): the public pages
// leave django-leaflet's template tags to the admin, and its 4 KB of extras with them.
if (document.querySelector(".notice-wrap")) { // the full map's notice, folded on a phone
  import("./notice.js").then(({ foldableNotice }) => foldableNotice(document.querySelector(".notice-wrap"),
    document.getElementById("notice-more")));
}
const mapNode = document.getElementById("map");
const options = mapNode.dataset;
const map = L.map(mapNode, { minZoom: Number(options.minZoom), maxZoom: Number(options.maxZoom) });
map.attributionControl.setPrefix(options.attributionPrefix);
if (options.tileUrl) L.tileLayer(options.tileUrl, { attribution: options.tileAttribution }).addTo(map);
start(map).catch((error) => report(fill(_("Could not load the map: %(error)s"), { error: error.message })));
