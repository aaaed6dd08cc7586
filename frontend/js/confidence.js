// How sure the record is of a holding, drawn as a pattern over the controller's colour: shapes,
// not shades, so that it reads without colour vision. Confirmed land is plain; assessed (our
// analysts' judgement) dotted, claimed (by one side) striped, contested (fighting) cross-hatched.
// The levels come with the history (/api/v1/history/ "confidences"); their labels are here.
import { el } from "./dom.js";
import { _ } from "./i18n.js";

const SIZE = 8; // the pattern's tile, in CSS pixels
const INK = "rgba(255, 255, 255, 0.9)";

const MARKS = {
  assessed(ctx) {
    ctx.beginPath();
    ctx.arc(SIZE / 2, SIZE / 2, 1.4, 0, 2 * Math.PI);
    ctx.fill();
  },
  claimed(ctx) {
    ctx.beginPath();
    ctx.moveTo(0, SIZE);
    ctx.lineTo(SIZE, 0);
    ctx.stroke();
  },
  contested(ctx) {
    ctx.beginPath();
    ctx.moveTo(0, SIZE);
    ctx.lineTo(SIZE, 0);
    ctx.moveTo(0, 0);
    ctx.lineTo(SIZE, SIZE);
    ctx.stroke();
  },
};

function tile(color, level) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIZE;
  const ctx = canvas.getContext("2d");
  if (color) {
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, SIZE, SIZE);
  }
  ctx.fillStyle = ctx.strokeStyle = INK;
  ctx.lineWidth = 1.5;
  MARKS[level](ctx);
  return canvas;
}

// The levels' labels, as the server words them (ControlChange.confidence), in the page's language.
const LABELS = {
  confirmed: _("Confirmed"),
  assessed: _("Assessed (our analysts' judgement)"),
  claimed: _("Claimed (by one side, unconfirmed)"),
  contested: _("Contested (fighting ongoing)"),
};

export const confidenceLabel = (level) => LABELS[level] ?? level;

const patterns = new Map(); // "colour level" -> CanvasPattern

// The fill for land of `color` held at `level`: the colour itself when confirmed (or unknown).
// `color` null: the marks alone, clear between, to lay over land drawn in its colour already.
export function confidenceFill(color, level) {
  if (!MARKS[level]) return color;
  const key = `${color} ${level}`;
  if (!patterns.has(key)) {
    patterns.set(key, document.createElement("canvas").getContext("2d").createPattern(tile(color, level), "repeat"));
  }
  return patterns.get(key);
}

// The legend's key: one row per level held somewhere on the date shown (`areas`: km² by level
// index), its pattern over a neutral grey, its label and its km².
export function renderConfidenceKey(body, levels, areas, km2) {
  const rows = levels.map((level, index) => ({ level, km2: areas[index] ?? 0 }))
    .filter((row) => MARKS[row.level] && row.km2 >= 0.5);
  body.replaceChildren(...rows.map((row) => {
    const swatch = el("canvas", { class: "swatch", width: 14, height: 14, "aria-hidden": "true" });
    const ctx = swatch.getContext("2d");
    ctx.fillStyle = confidenceFill("#8a8a8a", row.level);
    ctx.fillRect(0, 0, 14, 14);
    return el("tr", { "data-confidence": row.level }, el("td", {}, swatch), el("td", {}, confidenceLabel(row.level)),
      el("td", { class: "num" }, km2(row.km2)), el("td", {}));
  }));
  body.closest("table").hidden = rows.length === 0;
}
