// The marker shapes of event types (the server's Event.TYPE_SHAPES, served by /event-types/),
// traced on a canvas: the same paths for the map's markers (sprite-canvas.js) and the key.

const SQRT3 = Math.sqrt(3);

const TRACE = {
  circle(ctx, x, y, r) {
    ctx.arc(x, y, r, 0, Math.PI * 2, false);
  },
  square(ctx, x, y, r) {
    const h = r * 0.85;
    ctx.rect(x - h, y - h, 2 * h, 2 * h);
  },
  diamond(ctx, x, y, r) {
    const h = r * 1.15;
    ctx.moveTo(x, y - h);
    ctx.lineTo(x + h, y);
    ctx.lineTo(x, y + h);
    ctx.lineTo(x - h, y);
    ctx.closePath();
  },
  triangle(ctx, x, y, r) {
    const h = r * 1.2;
    ctx.moveTo(x, y - h);
    ctx.lineTo(x + (h * SQRT3) / 2, y + h / 2);
    ctx.lineTo(x - (h * SQRT3) / 2, y + h / 2);
    ctx.closePath();
  },
  "triangle-down"(ctx, x, y, r) {
    const h = r * 1.2;
    ctx.moveTo(x, y + h);
    ctx.lineTo(x + (h * SQRT3) / 2, y - h / 2);
    ctx.lineTo(x - (h * SQRT3) / 2, y - h / 2);
    ctx.closePath();
  },
  cross(ctx, x, y, r) { // a plus of two bars, filled
    const a = r * 0.4;
    const b = r * 1.05;
    ctx.moveTo(x - a, y - b);
    ctx.lineTo(x + a, y - b);
    ctx.lineTo(x + a, y - a);
    ctx.lineTo(x + b, y - a);
    ctx.lineTo(x + b, y + a);
    ctx.lineTo(x + a, y + a);
    ctx.lineTo(x + a, y + b);
    ctx.lineTo(x - a, y + b);
    ctx.lineTo(x - a, y + a);
    ctx.lineTo(x - b, y + a);
    ctx.lineTo(x - b, y - a);
    ctx.lineTo(x - a, y - a);
    ctx.closePath();
  },
};

// Begin a path of `shape` (a circle when unknown) centred on (x, y), about `r` in radius.
export function traceShape(ctx, shape, x, y, r) {
  ctx.beginPath();
  (TRACE[shape] ?? TRACE.circle)(ctx, x, y, r);
}

// A small canvas showing a marker of this shape and colour, for keys and lists.
export function shapeSwatch(shape, color, size = 16) {
  const canvas = document.createElement("canvas");
  const scale = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(size * scale);
  canvas.className = "shape-swatch";
  canvas.setAttribute("aria-hidden", "true");
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  traceShape(ctx, shape, size / 2, size / 2, size / 2 - 3);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "#ffffff";
  ctx.stroke();
  return canvas;
}
