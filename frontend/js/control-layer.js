// The control polygons of one date and the legend that goes with them.
import { el, km2 } from "./dom.js";
import { ALL } from "./palette.js";

// One legend row per controller, largest first: colour, name, area, and what it gained and lost
// when the interval began; the members of a coalition holding land together grouped under a row
// of the coalition with their total (rows carrying `coalition`: the pieces' history). Rows:
// {faction, name, color, area_km2, gained_km2, lost_km2, coalition, coalition_name}; only those
// the palette (palette.js) shows.
export function renderLegend(legendBody, rows, palette = ALL) {
  const ordered = rows.filter((row) => palette.visible(row.faction)).sort((a, b) => b.area_km2 - a.area_km2);
  const groups = new Map(); // a coalition's slug (or a side's own) -> its rows, largest first
  for (const row of ordered) {
    const key = row.coalition ?? row.faction ?? "no-data";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  const total = (members) => members.reduce((sum, row) => sum + row.area_km2, 0);
  const sorted = [...groups].sort(([, a], [, b]) => total(b) - total(a));
  legendBody.replaceChildren(...sorted.flatMap(([key, members]) => {
    const rowsOf = members.map((p) => legendRow(p, palette, members.length > 1));
    if (members.length === 1) return rowsOf;
    const head = members.find((row) => row.coalition) ?? members[0];
    const name = palette.name({ faction: key, name: head.coalition_name ?? head.name });
    return [el("tr", { class: "coalition", "data-coalition": key },
      el("th", { colspan: 2, scope: "rowgroup" }, name), el("td", { class: "num" }, km2(total(members))), el("td", {})),
    ...rowsOf];
  }));
}

function legendRow(p, palette, member) {
  const change = [];
  if (p.gained_km2 >= 0.5) change.push(el("span", { class: "gain" }, `+${km2(p.gained_km2)}`));
  if (p.lost_km2 >= 0.5) change.push(el("span", { class: "loss" }, `−${km2(p.lost_km2)}`));
  return el("tr", { "data-faction": p.faction ?? "no-data", class: member ? "member" : null },
    el("td", {}, el("span", { class: "swatch", style: { background: p.color } })),
    el("td", {}, palette.name(p)),
    el("td", { class: "num" }, km2(p.area_km2)),
    el("td", { class: "num" }, change),
  );
}

// The dissolved layer of one date, fetched from /api/v1/control/: the first view, and every
// view until the pieces (pieces-layer.js) have loaded.
export function createControlLayer(map, legendBody, palette = ALL) {
  const layer = L.geoJSON(null, {
    style: (feature) => ({
      color: palette.color(feature.properties),
      weight: 1,
      fillColor: palette.color(feature.properties),
      fillOpacity: 0.45,
    }),
    interactive: false, // a click anywhere asks who held that spot (place-popup.js)
  }).addTo(map);

  return {
    show(collection) {
      layer.clearLayers();
      layer.addData(collection);
      renderLegend(legendBody, collection.features.map((feature) => feature.properties), palette);
    },
    layer,
  };
}
