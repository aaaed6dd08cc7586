// Scrubbing with no request per date: the pieces every control change is made of
// (/api/v1/pieces/) are drawn once on a canvas and recoloured from the history
// (/api/v1/history/) as the date moves; only the pieces that change hands are restyled.
import { renderLegend } from "./control-layer.js";
import { dayFromIso } from "./days.js";
import { ALL } from "./palette.js";
import { PatchCanvas } from "./patch-canvas.js";

export function createPiecesLayer(map, legendBody, pieces, history, palette = ALL) {
  // A build made before histories carried areas (migration 0002 rebuilds it): draw per date.
  if (history.steps.some((step) => !step.areas)) throw new Error("the layers are being rebuilt");
  const controllers = history.controllers;
  const state = Int32Array.from(history.initial); // the controller of each drawn piece
  const steps = history.steps.map((step) => ({ day: dayFromIso(step.date), moves: step.moves, undo: null }));
  for (const step of steps) { // replay once, keeping what each step replaced so we can step back
    step.undo = [];
    for (let i = 0; i < step.moves.length; i += 2) {
      step.undo.push(step.moves[i], state[step.moves[i]]);
      state[step.moves[i]] = step.moves[i + 1];
    }
  }
  state.set(history.initial);
  let applied = 0; // how many steps `state` reflects
  // Each controller's km² after the steps applied so far: the server's sums over every piece.
  const areaOf = (index) => (applied ? history.steps[applied - 1].areas[index] : 0);

  const style = (index) => {
    const color = palette.color(controllers[index]);
    // A hairline in the fill colour hides the seams between neighbouring pieces.
    return { color, weight: 0.6, opacity: 0.45, fillColor: color, fillOpacity: 0.45 };
  };
  const paths = new Array(state.length);
  const layer = L.geoJSON(pieces, {
    renderer: new PatchCanvas({ padding: 0.1 }),
    style: (feature) => style(state[feature.id]),
    interactive: false, // a click anywhere asks who held that spot (place-popup.js)
    onEachFeature: (feature, path) => {
      paths[feature.id] = path;
    },
  });

  function apply(moves, changed) {
    for (let i = 0; i < moves.length; i += 2) {
      state[moves[i]] = moves[i + 1];
      changed.add(moves[i]);
    }
  }

  return {
    layer,
    // Bring every piece to its controller on `day`, restyling only those that changed hands.
    // `redraw`: render the legend even if the interval is the one already shown.
    show(day, { redraw = false } = {}) {
      const changed = new Set();
      const before = applied;
      while (applied < steps.length && steps[applied].day <= day) apply(steps[applied++].moves, changed);
      while (applied > 0 && steps[applied - 1].day > day) apply(steps[--applied].undo, changed);
      if (applied === before && !redraw) return; // same interval: nothing to redraw
      for (const piece of changed) paths[piece].setStyle(style(state[piece]));
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
