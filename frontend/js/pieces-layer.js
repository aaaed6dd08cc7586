// Scrubbing with no request per date: the pieces every control change is made of
// (/api/v1/pieces/) are drawn once on a canvas and recoloured from the history
// (/api/v1/history/) as the date moves; only the pieces that change hands, or whose holding
// changes how sure it is (confidence.js), are restyled.
import { confidenceFill, renderConfidenceKey } from "./confidence.js";
import { renderLegend } from "./control-layer.js";
import { km2 } from "./dom.js";
import { dayFromIso } from "./days.js";
import { ALL } from "./palette.js";
import { PatchCanvas } from "./patch-canvas.js";

export function createPiecesLayer(map, legendBody, pieces, history, palette = ALL, keyBody = null) {
  // A build made before histories carried areas (migration 0002 rebuilds it): draw per date.
  if (history.steps.some((step) => !step.areas)) throw new Error("the layers are being rebuilt");
  const controllers = history.controllers;
  const levels = history.confidences ?? [];
  const state = Int32Array.from(history.initial); // the controller of each drawn piece
  const sure = new Int32Array(state.length); // how sure its holding is: a level index, from confirmed
  let uncertain = []; // km² by level index, carried from the last step that changed them
  const steps = history.steps.map((step) => {
    if (step.uncertain) uncertain = Array.from({ length: levels.length }, (_, i) => pairValue(step.uncertain, i));
    return { day: dayFromIso(step.date), moves: step.moves, sure: step.confidence ?? [], uncertain, undo: null };
  });
  for (const step of steps) { // replay once, keeping what each step replaced so we can step back
    step.undo = undoOf(step.moves, state);
    step.sureUndo = undoOf(step.sure, sure);
  }
  state.set(history.initial);
  sure.fill(0);
  let applied = 0; // how many steps `state` reflects
  // Each controller's km² after the steps applied so far: the server's sums over every piece.
  const areaOf = (index) => (applied ? history.steps[applied - 1].areas[index] : 0);

  const style = (piece) => {
    const color = palette.color(controllers[state[piece]]);
    // A hairline in the fill colour hides the seams between neighbouring pieces.
    return { color, weight: 0.6, opacity: 0.45, fillColor: confidenceFill(color, levels[sure[piece]]),
      fillOpacity: 0.45 };
  };
  const paths = new Array(state.length);
  const layer = L.geoJSON(pieces, {
    renderer: new PatchCanvas({ padding: 0.1 }),
    style: (feature) => style(feature.id),
    interactive: false, // a click anywhere asks who held that spot (place-popup.js)
    onEachFeature: (feature, path) => {
      paths[feature.id] = path;
    },
  });

  function apply(moves, track, changed = null) {
    for (let i = 0; i < moves.length; i += 2) {
      track[moves[i]] = moves[i + 1];
      changed?.add(moves[i]);
    }
  }

  function forward(step, changed) {
    apply(step.moves, state, changed);
    apply(step.sure, sure, changed);
  }

  function back(step, changed) {
    apply(step.undo, state, changed);
    apply(step.sureUndo, sure, changed);
  }

  return {
    layer,
    geometry: pieces,
    // Who holds each piece (by its id) on `day`, the date shown left where it is (drawn-fronts.js).
    holdersAt(day) {
      const at = Int32Array.from(state);
      let n = applied;
      while (n < steps.length && steps[n].day <= day) apply(steps[n++].moves, at);
      while (n > 0 && steps[n - 1].day > day) apply(steps[--n].undo, at);
      return (piece) => controllers[at[piece]];
    },
    // Bring every piece to its controller on `day`, restyling only those that changed hands.
    // `redraw`: render the legend even if the interval is the one already shown.
    show(day, { redraw = false } = {}) {
      const changed = new Set();
      const before = applied;
      while (applied < steps.length && steps[applied].day <= day) forward(steps[applied++], changed);
      while (applied > 0 && steps[applied - 1].day > day) back(steps[--applied], changed);
      if (applied === before && !redraw) return; // same interval: nothing to redraw
      for (const piece of changed) paths[piece].setStyle(style(piece));
      if (keyBody) renderConfidenceKey(keyBody, levels, applied ? steps[applied - 1].uncertain : [], km2);
      const gained = new Float64Array(controllers.length);
      const lost = new Float64Array(controllers.length);
      if (applied > 1) { // what changed hands when the shown interval began (not the baseline)
        const step = history.steps[applied - 1];
        for (let i = 0; i < step.gained.length; i += 2) gained[step.gained[i]] = step.gained[i + 1];
        for (let i = 0; i < step.lost.length; i += 2) lost[step.lost[i]] = step.lost[i + 1];
      }
      renderLegend(legendBody, controllers.map((controller, index) => ({
        ...controller, area_km2: areaOf(index), gained_km2: gained[index], lost_km2: lost[index],
      })).filter((row) => row.area_km2 > 0.5), palette);
    },
  };
}

// The (index, old value) pairs that undo `moves` on `track`, which they then update.
function undoOf(moves, track) {
  const undo = [];
  for (let i = 0; i < moves.length; i += 2) {
    undo.push(moves[i], track[moves[i]]);
    track[moves[i]] = moves[i + 1];
  }
  return undo;
}

// The value for `index` in a sparse [index, value, ...] list, 0 if absent.
function pairValue(pairs, index) {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === index) return pairs[i + 1];
  return 0;
}
