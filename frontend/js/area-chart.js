// Each controller's km² over the whole timeline, as step lines on a canvas under the legend, from
// the history the map already has for scrubbing (/api/v1/history/: each step's `areas`), so no
// request is made for it. The date shown is marked; a click moves the slider there (the slider
// itself is the keyboard's way). The lines are drawn once; a new date redraws only the mark.
import { dayFromIso, formatDay } from "./days.js";
import { _, fill, RTL } from "./i18n.js";

const PAD = { top: 6, right: 6, bottom: 14, left: 6 };

export function createAreaChart(canvas, { controllers, steps }, palette, { firstDay, lastDay, onPick }) {
  const context = canvas.getContext("2d");
  const lines = document.createElement("canvas"); // the lines, kept to draw the mark over
  const top = Math.max(1, ...steps.flatMap((step) => step.areas));
  const days = steps.map((step) => Math.max(firstDay, dayFromIso(step.date)));
  let marked = null;

  const width = () => canvas.width - PAD.left - PAD.right;
  const height = () => canvas.height - PAD.top - PAD.bottom;
  // Time runs the way the slider does: right to left on a right-to-left page.
  const forward = (x) => (RTL ? canvas.width - x : x);
  const xOf = (day) => forward(PAD.left + (width() * (day - firstDay)) / Math.max(1, lastDay - firstDay));
  const yOf = (km2) => PAD.top + height() * (1 - km2 / top);

  function drawLines() {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = lines.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = lines.height = Math.round(canvas.clientHeight * ratio);
    const pen = lines.getContext("2d");
    pen.clearRect(0, 0, lines.width, lines.height);
    pen.lineWidth = 1.5 * ratio;
    controllers.forEach((controller, index) => {
      if (!palette.visible(controller.faction) || steps.every((step) => step.areas[index] < 0.5)) return;
      pen.strokeStyle = palette.color(controller);
      pen.beginPath();
      steps.forEach((step, n) => {
        const x = xOf(days[n]);
        if (n > 0) pen.lineTo(x, yOf(steps[n - 1].areas[index])); // a step: level until the change
        if (n === 0) pen.moveTo(x, yOf(step.areas[index]));
        else pen.lineTo(x, yOf(step.areas[index]));
      });
      pen.lineTo(xOf(lastDay), yOf(steps[steps.length - 1].areas[index]));
      pen.stroke();
    });
    mark(marked);
  }

  function mark(day) {
    marked = day;
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.drawImage(lines, 0, 0);
    if (day === null) return;
    context.fillStyle = "rgba(0, 0, 0, 0.75)";
    context.fillRect(Math.round(xOf(day)) - 1, PAD.top, 2, height());
    canvas.setAttribute("aria-label", fill(_("Area held by each side over time; %(day)s marked. Click to move the slider to a date."),
      { day: formatDay(day) }));
  }

  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const x = forward(((event.clientX - box.left) * canvas.width) / box.width);
    const day = Math.round(firstDay + ((x - PAD.left) / width()) * (lastDay - firstDay));
    onPick(Math.min(lastDay, Math.max(firstDay, day)));
  });
  new ResizeObserver(drawLines).observe(canvas);
  drawLines();
  return { mark };
}
