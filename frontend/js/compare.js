// Compare the date shown with a second one: the land that changed hands between them, hatched
// on the map in the colour of its holder on the other date, and a table of each side's km² on
// both dates with what it gained, lost and the net, and the events between. Asked of GET
// /api/v1/compare/ (computed and cached on the server), once the date has rested; the land is
// drawn from the pieces the map already has (the answer names them), or, without them, from
// the answer's own geometry.
import { el, km2, number } from "./dom.js";
import { formatDay, formatShortDay, isoFromDay } from "./days.js";
import { _, fill, ngettext } from "./i18n.js";

const SETTLE_MS = 150; // a comparison is asked for once the slider rests, not at every step
const SVG = "http://www.w3.org/2000/svg";

// One diagonal-stripe pattern per colour, in a hidden SVG of the page: Leaflet's SVG renderer
// fills a path with `url(#id)` as with any colour.
function hatchOf(color) {
  const id = `hatch-${color.replace(/[^0-9a-z]/gi, "")}`;
  if (!document.getElementById(id)) {
    let defs = document.getElementById("hatches");
    if (!defs) {
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "hatch-defs");
      svg.setAttribute("aria-hidden", "true");
      defs = document.createElementNS(SVG, "defs");
      defs.id = "hatches";
      svg.append(defs);
      document.body.append(svg);
    }
    const pattern = document.createElementNS(SVG, "pattern");
    for (const [name, value] of Object.entries({ id, width: 8, height: 8, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)" })) pattern.setAttribute(name, value);
    const stripe = document.createElementNS(SVG, "rect");
    for (const [name, value] of Object.entries({ width: 3, height: 8, fill: color })) stripe.setAttribute(name, value);
    pattern.append(stripe);
    defs.append(pattern);
  }
  return `url(#${id})`;
}

const signed = (value) => (value >= 0.5 ? `+${number(value)}` : value <= -0.5 ? `−${number(-value)}` : "0");

// The answer's land as GeoJSON features: each pair's pieces from `pieces` (the map's drawn pieces,
// feature n having id n) as one MultiPolygon, one path to draw, or the pair's own geometry when
// the map has no pieces.
function landOf(answer, pieces) {
  const polygons = (geometry) => (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates);
  return answer.moved.map((pair) => ({
    type: "Feature",
    properties: pair,
    geometry: pieces
      ? { type: "MultiPolygon", coordinates: pair.pieces.flatMap((id) => polygons(pieces.features[id].geometry)) }
      : pair.geometry,
  })).filter((feature) => feature.geometry?.coordinates.length); // land too small to show at this scale
}

export function createCompare(map, nodes, { ask, palette, firstDay, lastDay, onPick, pieces }) {
  const { input, clear, table, summary } = nodes;
  input.min = isoFromDay(firstDay);
  input.max = isoFromDay(lastDay);
  const overlay = L.geoJSON(null, { renderer: L.svg({ padding: 0.1 }), interactive: false }).addTo(map);
  let asked = 0;
  let timer = null;

  input.addEventListener("change", () => {
    const day = input.value ? Math.round(input.valueAsNumber / 86400000) : null;
    onPick(day === null ? null : Math.min(lastDay, Math.max(firstDay, day)));
  });
  clear.addEventListener("click", () => onPick(null));

  function hide() {
    overlay.clearLayers();
    table.hidden = true;
    summary.textContent = "";
    clear.hidden = true;
    map.getContainer().dataset.compared = "";
  }

  // The map's date is the fill underneath the hatching; the stripes are the holder on `other`.
  function draw(answer, day, other, drawn) {
    const earlier = Math.min(day, other);
    const factions = new Map(answer.controllers.map((row) => [row.faction, row]));
    const holder = (slug) => factions.get(slug) ?? { faction: slug, color: "#999", name: slug };
    overlay.clearLayers();
    overlay.addData(landOf(answer, drawn));
    overlay.eachLayer((path) => {
      const { from, to } = path.feature.properties;
      const then = holder(day === earlier ? to : from);
      path.setStyle({ stroke: false, fillOpacity: 1, fillColor: hatchOf(palette.color(then)) });
    });
    const head = el("tr", {}, el("th", { scope: "col" }, _("Side")),
      el("th", { scope: "col", class: "num" }, formatShortDay(earlier)),
      el("th", { scope: "col", class: "num" }, formatShortDay(Math.max(day, other))),
      el("th", { scope: "col", class: "num" }, _("Net")));
    const rows = answer.controllers.filter((row) => palette.visible(row.faction))
      .sort((a, b) => b.km2_to - a.km2_to)
      .map((row) => el("tr", { "data-faction": row.faction ?? "no-data" },
        el("th", { scope: "row", title: palette.name(row) },
          el("span", { class: "swatch", style: { background: palette.color(row) } }), " ", palette.shortName(row)),
        el("td", { class: "num" }, number(row.km2_from)),
        el("td", { class: "num" }, number(row.km2_to)),
        el("td", { class: `num ${row.net_km2 >= 0.5 ? "gain" : row.net_km2 <= -0.5 ? "loss" : ""}`,
          title: fill(_("gained %(gained)s, lost %(lost)s"), { gained: km2(row.gained_km2), lost: km2(row.lost_km2) }) }, signed(row.net_km2))));
    table.replaceChildren(el("caption", {}, _("Land held on each date, km²")), el("thead", {}, head), el("tbody", {}, rows));
    table.hidden = false;
    const moved = answer.moved.reduce((sum, pair) => sum + pair.km2, 0);
    summary.textContent = [
      fill(_("%(from)s to %(to)s: %(km2)s changed hands (hatched, striped in the colour of the side holding it on %(other)s)."),
        { from: formatDay(earlier), to: formatDay(Math.max(day, other)), km2: km2(moved), other: formatDay(other) }),
      fill(ngettext("%(count)s change date;", "%(count)s change dates;", answer.change_dates),
        { count: number(answer.change_dates) }),
      fill(ngettext("%(count)s event between.", "%(count)s events between.", answer.events), { count: number(answer.events) }),
    ].join(" ");
    map.getContainer().dataset.compared = `${isoFromDay(earlier)}/${isoFromDay(Math.max(day, other))}`;
  }

  return {
    // Compare `day` (the map's) with `other` (null: no comparison).
    show(day, other) {
      clearTimeout(timer);
      const number = ++asked;
      input.value = other === null ? "" : isoFromDay(other);
      if (other === null) {
        hide();
        return;
      }
      clear.hidden = false;
      timer = setTimeout(async () => {
        const [from, to] = [Math.min(day, other), Math.max(day, other)].map(isoFromDay);
        try {
          const drawn = await pieces; // null: the map draws no pieces (a preview), so ask for the geometry
          const answer = await ask(from, to, drawn === null);
          if (number === asked) draw(answer, day, other, drawn);
        } catch (error) {
          if (number === asked) summary.textContent = fill(_("Could not compare: %(error)s"), { error: error.message });
        }
      }, SETTLE_MS);
    },
  };
}
