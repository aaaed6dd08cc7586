// A Leaflet canvas renderer that redraws each changed patch of the canvas on its own.
//
// L.Canvas joins the bounds of every path that changed into one rectangle: two pieces changing
// hands at opposite ends of the country redraw every piece in between, thousands at 8 years
// (a frame or more in Chromium's software raster). Here each change keeps its own rectangle;
// overlapping ones merge, and each is cleared and redrawn, clipped to itself, with the paths
// that touch it. Past MAX_PATCHES (changes all over the map) it falls back to the one
// rectangle. Overrides the private L.Canvas._extendRedrawBounds and _redraw of Leaflet 1.9
// (vendored by django-leaflet); drawing, hit detection and popups are L.Canvas's own.

const MAX_PATCHES = 12;

export const PatchCanvas = L.Canvas.extend({
  _extendRedrawBounds(layer) {
    if (!layer._pxBounds) return;
    const pad = (layer.options.weight || 0) + 1;
    const patch = L.bounds(layer._pxBounds.min.subtract([pad, pad]), layer._pxBounds.max.add([pad, pad]));
    (this._patches ??= []).push(patch);
    L.Canvas.prototype._extendRedrawBounds.call(this, layer); // the union, for the fallback
  },

  _redraw() {
    const patches = merged(this._patches ?? []);
    this._patches = [];
    if (!this._redrawBounds || patches.length > MAX_PATCHES) {
      L.Canvas.prototype._redraw.call(this); // everything, or the union of the patches
      return;
    }
    this._redrawRequest = null;
    for (const patch of patches) {
      this._redrawBounds = patch;
      patch.min._floor();
      patch.max._ceil();
      this._clear();
      this._draw();
    }
    this._redrawBounds = null;
  },
});

// `patches` with every overlapping pair joined, until none overlap.
function merged(patches) {
  const out = [];
  for (let patch of patches) {
    for (let i = 0; i < out.length; ) {
      if (out[i].intersects(patch)) {
        patch = L.bounds(out[i].min, out[i].max).extend(patch.min).extend(patch.max);
        out.splice(i, 1);
        i = 0; // the grown patch may now reach one already passed
      } else {
        i++;
      }
    }
    out.push(patch);
  }
  return out;
}
