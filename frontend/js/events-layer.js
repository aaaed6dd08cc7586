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
  const body = source.url
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

export function createEventsLayer(map, listNode) {
  const layer = L.layerGroup().addTo(map);

  return {
    // Show the events dated within [fromDay, toDay] (inclusive), newest first in the list.
    show(features, fromDay, toDay) {
      const visible = features.filter((feature) => {
        const day = dayFromIso(feature.properties.date);
        return day >= fromDay && day <= toDay;
      });
      layer.clearLayers();
      for (const feature of visible) {
        if (!feature.geometry) continue;
        const [lng, lat] = feature.geometry.coordinates;
        L.circleMarker([lat, lng], {
          radius: 7, weight: 2, color: "#ffffff", fillOpacity: 0.95,
          fillColor: TYPE_COLORS[feature.properties.type] ?? TYPE_COLORS.other,
          className: "event-marker",
        }).bindPopup(() => eventCard(feature.properties), { maxWidth: 320 }).addTo(layer);
      }
      listNode.replaceChildren(...visible.slice().reverse().map((feature) =>
        el("li", {}, eventCard(feature.properties))));
      return visible.length;
    },
    layer,
  };
}
