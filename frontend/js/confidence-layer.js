// The confidence patterns where the map draws land dissolved by controller alone (the country
// view of /control/, and the vector tiles): the land held with less than confirmed confidence
// on the date (GET /api/v1/control/confidence/), its marks laid over the colour already drawn.
// The pieces the full map scrubs with carry their own patterns (pieces-layer.js).
import { askedOnce } from "./api.js";
import { confidenceFill, renderConfidenceKey } from "./confidence.js";
import { km2 } from "./dom.js";

// `ask(day)`: a promise of the answer for that date; `keyBody`: the legend's key, or null.
export function createConfidenceLayer(map, ask, keyBody = null) {
  map.createPane("confidence").style.zIndex = 420; // over the territory (400), under the events (450)
  const layer = L.geoJSON(null, {
    pane: "confidence",
    renderer: L.canvas({ pane: "confidence", padding: 0.1 }), // a canvas: patterns are canvas fills
    interactive: false,
    style: (feature) => ({ stroke: false, fillColor: confidenceFill(null, feature.properties.level), fillOpacity: 0.45 }), // as the pieces
  });
  const answerOf = askedOnce(ask);
  let wanted = null;
  let drawn = null;

  return {
    layer,
    // Draw the patterns of `day` (the start of its control interval: they change only then), or
    // none (null).
    async show(day) {
      wanted = day;
      if (day === null) {
        layer.remove();
        return;
      }
      layer.addTo(map);
      if (day === drawn) return;
      const answer = await answerOf(day);
      if (wanted !== day) return; // the reader has moved on
      layer.clearLayers();
      layer.addData(answer);
      drawn = day;
      if (keyBody) renderConfidenceKey(keyBody, answer.levels, answer.km2, km2);
      map.getContainer().dataset.patterns = answer.features.map((f) => f.properties.level).sort().join(" ");
    },
  };
}
