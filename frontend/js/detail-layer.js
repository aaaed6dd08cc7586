// Past the overview, the control layer comes as vector tiles of the date's dissolved layer
// (/tiles/…, drawn by the vendored Leaflet.VectorGrid): clean borders at street scale, and the
// tiles' front lines as fronts-layer.js draws them below this zoom (solid: the tiles carry no
// confidence; the patterns over the land say it). The
// tile URL names the interval's first date, so every date of an interval shares its tiles.
// VectorGrid (15 KB compressed) is loaded the first time the layer goes on the map: most
// readers, and most embeds, never zoom in that far.
import { isoFromDay } from "./days.js";
import { ALL, FRONT_COLOR } from "./palette.js";

export const DETAIL_ZOOM = 9;

function loadScript(src) {
  return new Promise((loaded, failed) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = loaded;
    script.onerror = () => failed(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

// `scriptUrl`: where Leaflet.VectorGrid is (the page's data-vectorgrid).
export function createDetailLayer(tilesBase, scriptUrl, palette = ALL) {
  const style = (properties) => ({
    fill: true, fillColor: palette.color(properties), fillOpacity: 0.45, color: palette.color(properties), weight: 1,
    opacity: 0.8,
  });
  const urlOf = (intervalStart) => `${tilesBase}${isoFromDay(intervalStart)}/{z}/{x}/{y}.mvt`;
  const layer = L.layerGroup();
  let grid = null;
  let loading = null;
  let shown = null;
  layer.on("add", () => {
    loading ??= loadScript(scriptUrl).then(() => {
      grid = L.vectorGrid.protobuf(urlOf(shown ?? 0), {
        vectorTileLayerStyles: { control: style, fronts: { color: FRONT_COLOR, weight: 2.5, opacity: 0.9 } },
        rendererFactory: L.canvas.tile,
        pane: "overlayPane", // above the raster basemap, below the event markers
        interactive: false, // VectorGrid 1.3's click handling predates Leaflet 1.9
        maxNativeZoom: 16,
      });
      layer.addLayer(grid);
    });
  });
  return {
    layer,
    show(intervalStart) {
      if (intervalStart !== shown) {
        shown = intervalStart;
        grid?.setUrl(urlOf(intervalStart));
      }
    },
  };
}
