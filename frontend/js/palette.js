// The colour each controller is drawn in. A map view may show only some factions (an embed's
// `factions`): they keep their colours and legend rows; the others are drawn in one muted grey,
// so the map still covers the whole theatre, and leave the legend.
export const MUTED = "#dcdcdc";

// `shown`: the slugs of the factions to show, or null for all of them.
export function createPalette(shown = null) {
  const visible = (faction) => shown === null || shown.has(faction);
  return {
    visible,
    color: ({ faction, color }) => (visible(faction) ? color : MUTED),
  };
}

export const ALL = createPalette();
