// Front lines: where the areas of opposing sides meet on the date, a dark line over the
// territory below the tiles' zoom (past it the vector tiles draw them, detail-layer.js), dashed
// where either side's hold there is less than confirmed, with an entry of its own under the
// legend: the line, the dash, and each pair of sides' length in km. The full map asks for them
// (GET /api/v1/control/fronts/, the country view's lines); an embed, whose weight has a budget,
// finds them in the shapes it draws (drawn-fronts.js: solid, and without km). Imported by
// map-page.js once there is a date to draw.
import { apiUrl, askedOnce, getJson } from "./api.js";
import { isoFromDay } from "./days.js";
import { el, number } from "./dom.js";
import { _, fill } from "./i18n.js";
import { FRONT_COLOR } from "./palette.js";

const REST_MS = 150; // a dragged slider's dates are not asked for: the one it rests on is
const style = (feature) => ({
  color: FRONT_COLOR, weight: 2.5, opacity: 0.9, lineCap: "butt",
  dashArray: feature.properties.confidence === "confirmed" ? null : "6 5",
});

function swatch(dashed) {
  const line = el("span", { class: dashed ? "front-swatch dashed" : "front-swatch", "aria-hidden": "true" });
  line.style.borderTopColor = FRONT_COLOR;
  return line;
}

// The legend's entry (`key`, a table after the legend): the line, the dash if any is drawn, and the
// longest fronts by pair of sides, with their km (where the answer measured them: `pairs`).
function renderKey(key, answer, nameOf) {
  const body = key.tBodies[0];
  body.replaceChildren();
  const dashed = answer.features.some((feature) => feature.properties.confidence !== "confirmed");
  const pairs = answer.pairs ?? [];
  const total = pairs.reduce((sum, pair) => sum + pair.km, 0);
  body.append(el("tr", { "data-front": "line" }, el("td", {}, swatch(false)),
    el("td", {}, _("Front line: where opposing sides meet")),
    el("td", { class: "num" }, answer.pairs ? fill(_("%(km)s km"), { km: number(total) }) : "")));
  if (dashed) {
    body.append(el("tr", { "data-front": "unsure" }, el("td", {}, swatch(true)),
      el("td", { colspan: 2 }, _("Dashed: one side's hold there is less than confirmed"))));
  }
  for (const pair of pairs.slice(0, 5)) {
    body.append(el("tr", { "data-front-pair": pair.sides.join("|"), class: "member" },
      el("td", {}), el("td", {}, fill(_("%(one)s – %(other)s"), { one: nameOf(pair, 0), other: nameOf(pair, 1) })),
      el("td", { class: "num" }, fill(_("%(km)s km"), { km: number(pair.km) }))));
  }
  key.hidden = answer.features.length === 0;
}

// The map page's: the lines of the published layers, their key after the `legend` (with its
// class, an embed's own), sides named by the `palette`, failures told through `report`. `from`:
// where the lines come from: the API ({api, theatreSlug}: one answer a date), or the shapes an
// embed draws ({pieces, layerOf}: drawn-fronts.js; one answer a date and what draws it, as the
// country view comes small, then larger, then the pieces).
export function frontsOf(map, legend, palette, report, from) {
  const key = el("table", { id: "fronts-key", class: `${legend.className} fronts-key`, hidden: true },
    el("caption", {}, _("Front lines")), el("tbody"));
  legend.after(key);
  const drawn = from.api === undefined;
  const ask = drawn
    ? (plan) => import("./drawn-fronts.js").then((found) => found.drawnFronts(plan, from.pieces(), from.layerOf))
    : (plan) => getJson(apiUrl(from.api, "control/fronts/",
      { theatre: from.theatreSlug, date: isoFromDay(plan.key), detail: "overview" }));
  const idOf = drawn ? (plan) => `${plan.key} ${plan.source} ${plan.level}` : (plan) => String(plan.key);
  const layer = createFrontsLayer(map, ask, idOf, key,
    (pair, index) => palette.name({ faction: pair.sides[index], name: pair.names[index] }));
  return {
    show: (plan) => layer.show(plan, { tiles: plan.detail === "tiles" }).catch((error) => report(fill(
      _("Could not load the front lines: %(error)s"), { error: error.message }))),
  };
}

// `ask(plan)`: a promise of the lines of the plan's date (`key`, the start of its control
// interval: the lines change only then), the same for every plan of one `idOf(plan)`; `key`: the
// legend's table; `nameOf(pair, index)`: a side's name.
export function createFrontsLayer(map, ask, idOf, key, nameOf) {
  map.createPane("fronts").style.zIndex = 430; // over the territory and its patterns, under the events
  const layer = L.geoJSON(null, { pane: "fronts", interactive: false, style });
  const container = map.getContainer();
  const answerOf = askedOnce(ask, idOf);
  let wanted = null;
  let drawn = null;
  let timer = null;

  async function draw(plan, id) {
    const answer = await answerOf(plan);
    if (wanted !== id) return; // the reader has moved on
    layer.clearLayers();
    layer.addData(answer);
    drawn = id;
    renderKey(key, answer, nameOf);
    container.dataset.fronts = [...new Set(answer.features.map((feature) => feature.properties.sides.join("|")))]
      .sort().join(" ");
    container.dataset.frontsDate = answer.valid_from;
    container.dataset.frontsOf = id; // what they were asked or found for
  }

  return {
    // Draw the lines of the `plan`'s date and say their km, or neither (null: this view has none).
    // With `tiles`, the vector tiles draw the lines: the key alone. Another date's lines leave at
    // once; the new ones come once the date rests.
    show(plan, { tiles = false } = {}) {
      clearTimeout(timer);
      const id = plan === null ? null : idOf(plan);
      wanted = id;
      if (id === null || tiles) layer.remove();
      else layer.addTo(map);
      if (id === null) {
        key.hidden = true;
        return Promise.resolve();
      }
      if (id === drawn) return Promise.resolve();
      layer.clearLayers();
      drawn = null;
      delete container.dataset.frontsDate;
      return new Promise((done, failed) => {
        timer = setTimeout(() => draw(plan, id).then(done, failed), REST_MS);
      });
    },
  };
}
