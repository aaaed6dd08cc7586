// Event markers on the map and the dated list beside it, for a window of days.
import { el } from "./dom.js";
import { dayFromIso, formatDay } from "./days.js";

const TYPE_COLORS = {
  air_strike: "#b2182b", shelling: "#b2182b", clash: "#d6604d", capture: "#d6604d",
  encirclement: "#f4a582", troop_buildup: "#f4a582", deployment: "#f4a582", withdrawal: "#92c5de",
  agreement: "#4393c3", statement: "#2166ac", resignation: "#2166ac", other: "#777777",
};

const LIST_LIMIT = 50; // events listed beside the map; the map shows them all

const PRECISION_NOTE = { approximate: " (approximate date)", month: " (month only)" };

function dateText(properties) {
  const day = dayFromIso(properties.date);
  if (properties.date_precision === "month") {
    return new Date(day * 86400000).toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }) +
      PRECISION_NOTE.month;
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

export function eventCard(properties) {
  return el("div", { class: "event-card" },
    el("div", { class: "event-meta" }, `${dateText(properties)} · ${properties.type_label}`,
      properties.place ? ` · ${properties.place}` : ""),
    el("strong", {}, properties.title),
    properties.description ? el("p", {}, properties.description) : null,
    properties.fatalities !== null ? el("p", { class: "muted" }, `Reported fatalities: ${properties.fatalities}`) : null,
    el("div", { class: "muted" }, `Confidence: ${properties.confidence}`),
    el("ul", { class: "sources" }, properties.sources.map(sourceItem)),
  );
}

// Events at the same point (often a town from the gazetteer) share one marker, sized by their
// number, so none hides another; its popup lists them newest first.
function groupByPoint(features) {
  const groups = new Map();
  for (const feature of features) {
    if (!feature.geometry) continue;
    const key = feature.geometry.coordinates.join(",");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(feature);
  }
  return groups;
}

function markerPopup(features) {
  return el("div", { class: "event-popup" }, features.slice().reverse().map((f) => eventCard(f.properties)));
}

export function createEventsLayer(map, listNode) {
  // Their own pane above the control polygons (overlay pane, 400), which are redrawn on every
  // date change and would otherwise cover the markers and take their clicks.
  map.createPane("events").style.zIndex = 450;
  // A canvas: a busy fortnight of a long war has thousands of events.
  const renderer = L.canvas({ pane: "events" });
  const layer = L.layerGroup().addTo(map);
  const markers = new Map(); // point -> its marker, which carries its events as `group`

  return {
    // Show the events dated within [fromDay, toDay), newest first in the list.
    show(features, fromDay, toDay) {
      const visible = features.filter((feature) => {
        const day = dayFromIso(feature.properties.date);
        return day >= fromDay && day < toDay;
      });
      // Markers are kept between dates and only added, updated or removed as the window moves.
      const groups = groupByPoint(visible);
      for (const [key, marker] of markers) {
        if (!groups.has(key)) {
          layer.removeLayer(marker);
          markers.delete(key);
        }
      }
      for (const [key, group] of groups) {
        const style = {
          radius: 6 + 2 * Math.log2(group.length),
          fillColor: TYPE_COLORS[group[group.length - 1].properties.type] ?? TYPE_COLORS.other,
        };
        let marker = markers.get(key);
        if (!marker) {
          const [lng, lat] = group[0].geometry.coordinates;
          marker = L.circleMarker([lat, lng], { renderer, weight: 2, color: "#ffffff", fillOpacity: 0.95, ...style })
            .bindPopup(() => markerPopup(marker.group), { maxWidth: 340, maxHeight: 360 })
            .addTo(layer);
          markers.set(key, marker);
        } else if (marker.group.length !== group.length || marker.options.fillColor !== style.fillColor) {
          marker.setStyle(style).setRadius(style.radius);
        }
        marker.group = group;
      }
      const newest = visible.slice(-LIST_LIMIT).reverse();
      listNode.replaceChildren(...newest.map((feature) => el("li", {}, eventCard(feature.properties))));
      if (visible.length > LIST_LIMIT) {
        listNode.append(el("li", { class: "muted" }, `and ${visible.length - LIST_LIMIT} earlier events on the map`));
      }
      map.getContainer().dataset.markers = layer.getLayers().length;
      return visible.length;
    },
    layer,
  };
}
