// Front lines found in the shapes a map already draws, for embeds: an embed's weight has a
// budget, so it does not ask for the lines (GET /api/v1/control/fronts/, which the full map
// does) but finds them itself. The country view's areas and the scrubbing pieces are each one
// coverage, simplified together, so neighbours share their edges vertex for vertex: a segment
// found in two shapes is where they meet, and where their holders are on opposing sides it is
// the front (sides as conflictmap/lib/fronts.py decides them: the top coalition, else the
// faction; "no data" and statuses such as contested are no side). They are the fronts of the
// map as drawn: on the demo within a kilometre of the API's; a date of the 8-year bench war, 36 pairs of sides
// as the API's from the country view, 31 from the scrubbing pieces (which merge away pieces too
// small to see, and fronts along them). Found in 25 ms once there (4,184 pieces), then 1 ms a
// date. Drawn solid, and without km (these are simplified lines).
import { isoFromDay } from "./days.js";

// A holder's side as the build says it (`side`: its top coalition, else itself; null for no data
// and statuses). Layers built before holders said it: the holder's own coalition, else itself,
// for factions and coalitions only (pieces whose holders do not say their kind draw no fronts).
const sideOf = (holder) => (holder?.side !== undefined ? holder.side
  : holder?.kind === "faction" || holder?.kind === "coalition" ? holder.coalition ?? holder.faction : null);

function rings(geometry) {
  if (geometry?.type === "Polygon") return geometry.coordinates;
  if (geometry?.type === "MultiPolygon") return geometry.coordinates.flat();
  return [];
}

// Where each two of `shapes` (GeoJSON features, known by `id`, else by their place in the list)
// meet: [{ a, b, lines }], `lines` the shared stretches as coordinate lists.
export function sharedEdges(shapes) {
  const first = new Map(); // a segment, its ends in order -> the first shape that has it
  const edges = new Map(); // "a b" -> its edge
  shapes.forEach((shape, index) => {
    const id = shape.id ?? index;
    for (const ring of rings(shape.geometry)) {
      for (let i = 1; i < ring.length; i += 1) {
        const [p, q] = [ring[i - 1], ring[i]];
        const segment = p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]) ? `${p} ${q}` : `${q} ${p}`;
        const other = first.get(segment);
        if (other === undefined) first.set(segment, id);
        if (other === undefined || other === id) continue;
        const pair = `${other} ${id}`;
        if (!edges.has(pair)) edges.set(pair, { a: other, b: id, lines: [] });
        const { lines } = edges.get(pair);
        const end = lines.at(-1)?.at(-1); // a ring's shared segments come one after the other
        if (end && end[0] === p[0] && end[1] === p[1]) lines.at(-1).push(q);
        else lines.push([p, q]);
      }
    }
  });
  return [...edges.values()];
}

// The answer fronts-layer.js draws, as /control/fronts/ gives it but measured by nothing
// (`pairs`: null): a MultiLineString per pair of opposing sides, of the `edges` whose shapes'
// holders (`holderOf(id)`: {faction, kind, coalition}) oppose.
export function frontsBetween(edges, holderOf, day) {
  const fronts = new Map(); // "side|side" -> its feature
  for (const { a, b, lines } of edges) {
    const sides = [sideOf(holderOf(a)), sideOf(holderOf(b))];
    if (sides[0] === null || sides[1] === null || sides[0] === sides[1]) continue;
    const key = sides.sort().join("|");
    if (!fronts.has(key)) {
      fronts.set(key, { type: "Feature", geometry: { type: "MultiLineString", coordinates: [] },
        properties: { sides, confidence: "confirmed" } });
    }
    fronts.get(key).geometry.coordinates.push(...lines);
  }
  return { type: "FeatureCollection", features: [...fronts.values()], pairs: null, valid_from: isoFromDay(day) };
}

// An embed's lines of the `plan`'s date (`key`, the start of its interval), from what the plan
// draws: the scrubbing `pieces` (pieces-layer.js), or the date's areas (`areasOf(plan)`: a
// promise of its /control/ answer, at the plan's level).
const piecesEdges = new WeakMap(); // the pieces' collection -> its shared edges, found once
export async function drawnFronts(plan, pieces, areasOf) {
  if (plan.source === "pieces" && pieces) {
    if (!piecesEdges.has(pieces.geometry)) piecesEdges.set(pieces.geometry, sharedEdges(pieces.geometry.features));
    return frontsBetween(piecesEdges.get(pieces.geometry), pieces.holdersAt(plan.key), plan.key);
  }
  const areas = await areasOf(plan);
  return frontsBetween(sharedEdges(areas.features), (index) => areas.features[index].properties, plan.key);
}
