// Event markers on the map and the dated list beside it, for a window of days. Below
// CLUSTER_BELOW_ZOOM, markers closer than a cell of the screen join into one that counts them
// (a click zooms into it). Each type's marker has its colour and its shape (shapes.js).
import { el } from "./dom.js";
import { dayFromIso, formatDay, formatMonth, isoFromDay } from "./days.js";
import { SpriteCanvas } from "./sprite-canvas.js";
import { _, fill, localized } from "./i18n.js";

// A marker's colour when its type has none: only if the types could not be loaded.
const UNKNOWN_TYPE_COLOR = "#999999";

const LIST_LIMIT = 50; // events listed beside the map; the map shows them all
const CLUSTER_BELOW_ZOOM = 9;
const CLUSTER_CELL_PX = 36;
const CLUSTER_COLOR = "#3d3d3d";

const PRECISION_NOTE = { approximate: _(" (approximate date)"), month: _(" (month only)") };
// An event's confidence, as the filters name it (event-filters.js).
const SURE = { high: _("confirmed"), medium: _("credible"), low: _("claimed") };

function dateText(properties) {
  const day = dayFromIso(properties.date);
  if (properties.date_precision === "month") {
    return formatMonth(day) + PRECISION_NOTE.month;
  }
  return formatDay(day) + (PRECISION_NOTE[properties.date_precision] ?? "");
}

function sourceItem(source) {
  const label = [source.publisher, source.title].filter(Boolean).join(": ");
  const when = source.published_on ? ` (${formatDay(dayFromIso(source.published_on))})` : "";
  // Only web links become links: a javascript: or data: URL from an import stays inert text.
  const body = /^https?:\/\//i.test(source.url ?? "")
    ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer" }, label)
    : label;
  return el("li", {}, body, when);
}

// The description's HTML is rendered from Markdown and sanitised by the server (nh3 allows a
// few tags and http(s) links only: conflictmap/lib/markup.py); every other field is text.
function descriptionOf(properties) {
  const box = el("div", { class: "event-description" });
  box.innerHTML = properties.description_html;
  return box;
}

// The title links to the event selected (`event=` in the URL): `link.href(id)` is that address,
// `link.pick(id)` selects it on this page (none in an embed: the link opens the full map).
function titleOf(feature, link) {
  const title = el("strong", {}, localized(feature.properties, "title"));
  if (!link || feature.id === undefined) return title;
  const anchor = el("a", { href: link.href(feature.id), class: "event-title",
    ...(link.pick ? {} : { target: "_blank", rel: "noopener" }) }, title);
  if (link.pick) {
    anchor.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return; // a new tab: the browser's
      event.preventDefault();
      link.pick(feature.id);
    });
  }
  return anchor;
}

// An event feature of /api/v1/events/ as a card; one without a location says so (it is on no
// marker). `link`: see titleOf.
export function eventCard(feature, link = null) {
  const properties = feature.properties;
  return el("div", { class: "event-card", "data-event": feature.id },
    el("div", { class: "event-meta" }, `${dateText(properties)} · ${properties.type_label}`,
      properties.place ? ` · ${localized(properties, "place")}` : ""),
    feature.geometry !== null ? null : el("div", { class: "muted unlocated" },
      _("No location: listed and ticked on the timeline, not on the map")),
    titleOf(feature, link),
    properties.description_html ? descriptionOf(properties) : null,
    properties.fatalities !== null
      ? el("p", { class: "muted" }, fill(_("Reported fatalities: %(count)s"), { count: properties.fatalities })) : null,
    el("div", { class: "muted" }, fill(_("Reports: %(level)s"), { level: SURE[properties.confidence] ?? properties.confidence })),
    el("ul", { class: "sources" }, properties.sources.map(sourceItem)),
  );
}

const loading = () => el("div", { class: "muted" }, _("Loading…"));

const LIST_DELAY_MS = 300; // the list loads once the reader stops on a date, not on every step

// The located events of the window, grouped by point (often a town from the gazetteer), so
// none hides another. `blocks` are /api/v1/events/points/ answers: a count of events per day,
// then each day's events in order of longitude, which steps from the one before.
// `keep(type)`: whether events of this type are shown (a map view may show only some types).
function groupByPoint(blocks, fromDay, toDay, keep) {
  const groups = new Map();
  let count = 0;
  for (const block of blocks) {
    let i = 0;
    for (let d = 0; d < block.per_day.length; d++) {
      const day = block.first_day + d;
      const end = i + block.per_day[d];
      if (day < fromDay || day >= toDay) {
        i = end;
        continue;
      }
      for (let lng = 0, first = i; i < end; i++) {
        lng = i === first ? block.lng[i] : lng + block.lng[i];
        if (!keep(block.types[block.type[i]])) continue;
        count++;
        const key = `${lng},${block.lat[i]}`;
        let group = groups.get(key);
        if (!group) {
          group = { lng: lng / block.scale, lat: block.lat[i] / block.scale, count: 0, type: null };
          groups.set(key, group);
        }
        group.count++;
        group.type = block.types[block.type[i]]; // the type of the latest day's events wins
      }
    }
  }
  return { groups, count };
}

// `details(params)`: a promise of /api/v1/events/ features for these query parameters.
// `types`: GET /api/v1/event-types/, [{type, label, color, shape}]: the server's one list of them.
// `initialTypes`: the types to show (a Set), or null for all; `details` asks for those alone.
// `link`: how the cards' titles link to an event selected (titleOf).
export function createEventsLayer(map, listNode, details, types, initialTypes = null, link = null) {
  let shownTypes = initialTypes;
  const keep = (type) => shownTypes === null || shownTypes.has(type);
  const colors = new Map(types.map(({ type, color }) => [type, color]));
  const colorOf = (type) => colors.get(type) ?? colors.get("other") ?? UNKNOWN_TYPE_COLOR;
  const shapes = new Map(types.map(({ type, shape }) => [type, shape]));
  const shapeOf = (type) => shapes.get(type) ?? "circle";
  // Their own pane above the control polygons (overlay pane, 400), which are redrawn on every
  // date change and would otherwise cover the markers and take their clicks.
  map.createPane("events").style.zIndex = 450;
  // A canvas that stamps markers from bitmaps: a busy fortnight of a long war has thousands.
  const renderer = new SpriteCanvas({ pane: "events" });
  const layer = L.layerGroup().addTo(map);
  const markers = new Map(); // point -> its marker, which carries its group
  let shown = null; // the window shown, {from, to} as ISO dates: what popups and the list ask for
  let listTimer = null;
  let listed = null; // the window the list was last asked for
  // A list folded away (the embed's <details>) is asked for when it is opened, not before.
  const folder = listNode.closest("details");
  const refreshList = () => {
    if (shown === listed || (folder && !folder.open)) return;
    listed = shown;
    fillList(shown).catch((error) => {
      listNode.replaceChildren(el("li", { class: "muted" }, fill(_("Could not load the events: %(error)s"),
        { error: error.message })));
    });
  };
  folder?.addEventListener("toggle", refreshList);

  // A marker's events, newest first, with their sources: asked for when its popup opens.
  async function fillPopup(marker) {
    const { lng, lat } = marker.group;
    const bbox = [lng - 1e-4, lat - 1e-4, lng + 1e-4, lat + 1e-4].map((n) => n.toFixed(5)).join(",");
    const page = await details({ ...shown, bbox, order: "newest", page_size: 50 });
    marker.setPopupContent(el("div", { class: "event-popup" }, page.features.map((f) => eventCard(f, link))));
  }

  async function fillList(shownWindow) {
    const page = await details({ ...shownWindow, order: "newest", page_size: LIST_LIMIT });
    if (shownWindow !== shown) return; // the reader has moved on
    listNode.replaceChildren(...page.features.map((feature) => el("li", {}, eventCard(feature, link))));
    if (page.count > LIST_LIMIT) {
      listNode.append(el("li", { class: "muted" }, fill(_("and %(count)s earlier events"),
        { count: page.count - LIST_LIMIT })));
    }
  }

  // The markers to draw: one per point, or below CLUSTER_BELOW_ZOOM one per cell of the screen
  // holding several points (a cluster: its members, their count, where they are on average).
  function placed(groups) {
    const out = new Map();
    const zoom = map.getZoom();
    if (zoom >= CLUSTER_BELOW_ZOOM) {
      for (const [key, group] of groups) out.set(`p${key}`, group);
      return out;
    }
    const cells = new Map();
    for (const [key, group] of groups) {
      const { x, y } = map.project([group.lat, group.lng], zoom);
      const cell = `c${zoom}:${Math.floor(x / CLUSTER_CELL_PX)},${Math.floor(y / CLUSTER_CELL_PX)}`;
      if (!cells.has(cell)) cells.set(cell, []);
      cells.get(cell).push([key, group]);
    }
    for (const [cell, members] of cells) {
      if (members.length === 1) {
        out.set(`p${members[0][0]}`, members[0][1]);
        continue;
      }
      const count = members.reduce((sum, [, group]) => sum + group.count, 0);
      const mean = (axis) => members.reduce((sum, [, group]) => sum + group[axis], 0) / members.length;
      out.set(cell, { lat: mean("lat"), lng: mean("lng"), count, type: null, members: members.map(([, g]) => g) });
    }
    return out;
  }

  function styleOf(group) {
    if (group.members) {
      const label = group.count >= 1000 ? `${(group.count / 1000).toFixed(group.count >= 10000 ? 0 : 1)}k`
        : String(group.count);
      return { radius: 10 + 2 * Math.log2(group.count), fillColor: CLUSTER_COLOR, shape: "circle", label };
    }
    return { radius: 6 + 2 * Math.log2(group.count), fillColor: colorOf(group.type), shape: shapeOf(group.type),
      label: null };
  }

  function markerOf(key, group) {
    // A marker's click is its own: the map's (who held this spot, place-popup.js) is not asked.
    const marker = L.circleMarker([group.lat, group.lng], { renderer, weight: 2, color: "#ffffff", fillOpacity: 0.95,
      bubblingMouseEvents: false, ...styleOf(group) });
    if (group.members) { // a cluster: a click zooms into its members
      marker.on("click", () => map.fitBounds(L.latLngBounds(marker.group.members.map((m) => [m.lat, m.lng])),
        { maxZoom: CLUSTER_BELOW_ZOOM, padding: [40, 40] }));
    } else {
      const failed = (error) => marker.setPopupContent(fill(_("Could not load: %(error)s"), { error: error.message }));
      marker.bindPopup(loading, { maxWidth: 340, maxHeight: 360 }) // made when opened, not per marker
        .on("popupopen", () => fillPopup(marker).catch(failed));
    }
    markers.set(key, marker.addTo(layer));
    return marker;
  }

  // Draw `groups` (by point), keeping the markers that stay, restyling those that changed.
  function draw(groups) {
    const wanted = placed(groups);
    for (const [key, marker] of markers) {
      if (!wanted.has(key)) {
        layer.removeLayer(marker);
        markers.delete(key);
      }
    }
    let clusters = 0;
    for (const [key, group] of wanted) {
      clusters += group.members ? 1 : 0;
      const style = styleOf(group);
      const marker = markers.get(key) ?? markerOf(key, group);
      if (marker.options.label !== style.label || marker.options.fillColor !== style.fillColor
        || marker.options.shape !== style.shape || marker.options.radius !== style.radius) {
        marker.setStyle(style).setRadius(style.radius);
      }
      marker.group = group;
    }
    map.getContainer().dataset.markers = markers.size;
    map.getContainer().dataset.clusters = clusters;
  }

  let last = null; // the points and window last shown: drawn again as the zoom or the types change
  map.on("zoomend", () => last && draw(groupByPoint(...last, keep).groups));

  return {
    // Show the events dated within [fromDay, toDay): markers now, the list once the date settles.
    show(blocks, fromDay, toDay) {
      last = [blocks, fromDay, toDay];
      const { groups, count } = groupByPoint(blocks, fromDay, toDay, keep);
      draw(groups);
      const shownWindow = { from: isoFromDay(fromDay), to: isoFromDay(toDay) };
      shown = shownWindow;
      clearTimeout(listTimer);
      listTimer = setTimeout(refreshList, LIST_DELAY_MS);
      return count;
    },
    // Show only events of these types (a Set; null: all): at once on the map, and in the list.
    setTypes(types) {
      shownTypes = types;
      listed = null;
      if (last) this.show(...last);
    },
    layer,
    link,
  };
}
