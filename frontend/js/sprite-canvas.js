// A Leaflet canvas renderer that stamps circle markers from cached bitmaps, in the shape their
// `shape` option names (shapes.js; an event type's) and with their `label` (a cluster's count).
//
// A busy fortnight of a long war puts thousands of event markers on the map, and each date
// step adds and removes some all over it, so their canvas is redrawn whole. Filling and
// stroking thousands of anti-aliased arcs took Chromium (software raster) about a frame per
// step; copying a small bitmap per marker takes a fraction of that. Each sprite is drawn once
// with Leaflet's own _fillStroke, so markers look as L.Canvas draws them. Overrides the
// private L.Canvas._updateCircle of Leaflet 1.9 (vendored by django-leaflet); hit detection
// and popups are L.Canvas's own.

import { traceShape } from "./shapes.js";

const MAX_SPRITES = 256; // styles seen; far more than the map uses (sizes × event types)

export const SpriteCanvas = L.Canvas.extend({
  _updateCircle(layer) {
    if (!this._drawing || layer._empty()) return;
    // Kept on the marker until its style or radius changes: a redraw stamps thousands.
    if (layer._stamp?.radius !== layer._radius) layer._stamp = { radius: layer._radius, sprite: this._sprite(layer) };
    const sprite = layer._stamp.sprite;
    const { x, y } = layer._point;
    this._ctx.drawImage(sprite.image, x - sprite.half, y - sprite.half, 2 * sprite.half, 2 * sprite.half);
  },

  _updateStyle(layer) {
    layer._stamp = null;
    L.Canvas.prototype._updateStyle.call(this, layer);
  },

  _sprite(layer) {
    const radius = Math.max(Math.round(layer._radius), 1);
    const o = layer.options;
    const key = [radius, o.shape, o.label, o.fill, o.fillColor, o.fillOpacity, o.stroke, o.color, o.weight, o.opacity]
      .join("|");
    this._sprites ??= new Map();
    let sprite = this._sprites.get(key);
    if (!sprite) {
      if (this._sprites.size >= MAX_SPRITES) this._sprites.clear();
      const half = Math.ceil(radius * 1.2) + Math.ceil((o.stroke ? o.weight : 0) / 2) + 1; // a triangle's reach
      const scale = window.devicePixelRatio || 1; // sharp on high-density screens
      const image = document.createElement("canvas");
      image.width = image.height = Math.ceil(2 * half * scale);
      const ctx = image.getContext("2d");
      ctx.scale(scale, scale);
      traceShape(ctx, o.shape, half, half, radius);
      L.Canvas.prototype._fillStroke.call(this, ctx, layer);
      if (o.label) {
        ctx.fillStyle = "#ffffff";
        ctx.font = `bold ${Math.max(9, Math.min(13, radius))}px system-ui, sans-serif`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(o.label, half, half + 0.5);
      }
      sprite = { image, half };
      this._sprites.set(key, sprite);
    }
    return sprite;
  },
});
