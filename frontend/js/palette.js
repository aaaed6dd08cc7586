// How each controller is shown: its colour and its name. A map view may show only some factions
// (an embed's `factions`): they keep their colours and legend rows; the others are drawn in one
// muted grey, so the map still covers the whole theatre, and leave the legend. On an Arabic page
// the names are the factions' Arabic ones (`names`: slug -> name_ar, from /api/v1/factions/).
import { _ } from "./i18n.js";

export const MUTED = "#dcdcdc";
// Front lines, on any side's colour (fronts-layer.js, and the vector tiles' in detail-layer.js).
export const FRONT_COLOR = "#111111";

// `shown`: the slugs of the factions to show, or null for all of them.
export function createPalette(shown = null, names = new Map()) {
  const visible = (faction) => shown === null || shown.has(faction);
  // "No data" (faction null) is a word of the interface, not a faction's name.
  const named = (row, field) => (row.faction ? names.get(row.faction) || row[field] : _("No data"));
  return {
    visible,
    color: ({ faction, color }) => (visible(faction) ? color : MUTED),
    name: (row) => named(row, "name"),
    shortName: (row) => named(row, "short_name"),
  };
}

export const ALL = createPalette();
