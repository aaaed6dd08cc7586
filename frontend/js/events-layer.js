// Event markers on the map and the dated list beside it, for a window of days.
import { el } from "./dom.js";
import { dayFromIso, formatDay } from "./days.js";

const TYPE_COLORS = {
  air_strike: "#b2182b", shelling: "#b2182b", clash: "#d6604d", capture: "#d6604d",
  encirclement: "#f4a582", troop_buildup: "#f4a582", deployment: "#f4a582", withdrawal: "#92c5de",
  agreement: "#4393c3", statement: "#2166ac", resignation: "#2166ac", other: "#777777",
};

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
  return groups.values();
}

function markerPopup(features) {
  return el("div", { class: "event-popup" }, features.slice().reverse().map((f) => eventCard(f.properties)));
}

export function createEventsLayer(map, listNode) {
  // Their own pane above the control polygons (overlay pane, 400), which are redrawn on every
  // date change and would otherwise cover the markers and take their clicks.
  map.createPane("events").style.zIndex = 450;
  const layer = L.layerGroup().addTo(map);

  return {
    // Show the events dated within [fromDay, toDay), newest first in the list.
    show(features, fromDay, toDay) {
      const visible = features.filter((feature) => {
        const day = dayFromIso(feature.properties.date);
        return day >= fromDay && day < toDay;
      });
      layer.clearLayers();
      for (const group of groupByPoint(visible)) {
        const [lng, lat] = group[0].geometry.coordinates;
        const newest = group[group.length - 1].properties;
        L.circleMarker([lat, lng], {
          pane: "events",
          radius: 6 + 2 * Math.log2(group.length),
          weight: 2,
          color: "#ffffff",
          fillOpacity: 0.95,
          fillColor: TYPE_COLORS[newest.type] ?? TYPE_COLORS.other,
          className: "event-marker",
        })
          .bindPopup(() => markerPopup(group), { maxWidth: 340, maxHeight: 360 })
          .addTo(layer);
      }
      listNode.replaceChildren(...visible.slice().reverse().map((feature) => el("li", {}, eventCard(feature.properties))));
      return visible.length;
    },
    layer,
  };
}
