// Past the overview, the control layer comes as vector tiles of the date's dissolved layer
// (/tiles/…, drawn by the vendored Leaflet.VectorGrid): clean borders at street scale. The
// tile URL names the interval's first date, so every date of an interval shares its tiles.
import { isoFromDay } from "./days.js";
import { ALL } from "./palette.js";

export const DETAIL_ZOOM = 9;

export function createDetailLayer(tilesBase, palette = ALL) {
  const style = (properties) => ({
    fill: true, fillColor: palette.color(properties), fillOpacity: 0.45, color: palette.color(properties), weight: 1,
    opacity: 0.8,
  });
  const layer = L.vectorGrid.protobuf(`${tilesBase}${isoFromDay(0)}/{z}/{x}/{y}.mvt`, {
    vectorTileLayerStyles: { control: style },
    rendererFactory: L.canvas.tile,
    pane: "overlayPane", // above the raster basemap, below the event markers
    interactive: false, // VectorGrid 1.3's click handling predates Leaflet 1.9
    maxNativeZoom: 16,
  });
  let shown = null;
  return {
    layer,
    show(intervalStart) {
      if (intervalStart !== shown) {
        shown = intervalStart;
        layer.setUrl(`${tilesBase}${isoFromDay(intervalStart)}/{z}/{x}/{y}.mvt`);
      }
    },
  };
}
