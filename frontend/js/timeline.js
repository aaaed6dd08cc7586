// The date slider and its buttons: scrub, step between control changes, play at a chosen speed,
// pick a date; with the keyboard on the slider: arrows a day, Home/End the ends, PageUp/PageDown
// the next or previous change, space to play or pause. The slider announces a date, not a number.
import { dayFromIso, formatDay, isoFromDay } from "./days.js";
import { _, RTL } from "./i18n.js";

const PLAY_STEP_MS = 250;
const THUMB_PX = 16; // about the width of Chromium's and Firefox's range thumb: ticks line up with it

// A strip along the slider, drawn once (again when it is resized) by `paint(ctx, x, width,
// height)`, where x(day) is the day's position under the slider's thumb. Not a <datalist> for
// the ticks: Chromium repaints every one of its ticks whenever the slider moves, about 23 ms a
// step with the 2,920 change dates of an 8-year war.
function strip(anchor, className, firstDay, lastDay, paint) {
  const canvas = document.createElement("canvas");
  canvas.className = className;
  canvas.setAttribute("aria-hidden", "true");
  anchor.after(canvas);
  const draw = () => {
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const scale = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = getComputedStyle(canvas).color;
    const span = Math.max(1, lastDay - firstDay);
    const along = (day) => THUMB_PX / 2 + ((day - firstDay) / span) * (width - THUMB_PX);
    // A right-to-left page's slider runs from the right: so do its strips.
    paint(ctx, RTL ? (day) => width - along(day) : along, width, height);
  };
  new ResizeObserver(draw).observe(canvas);
  return canvas;
}

// Tick marks where the control layer changes.
function drawTicks(slider, firstDay, lastDay, changeDays) {
  return strip(slider, "timeline-ticks", firstDay, lastDay, (ctx, x, width, height) => {
    for (const day of changeDays) ctx.fillRect(Math.round(x(day) * devicePixelRatio) / devicePixelRatio, 0, 1, height);
  });
}

const UNLOCATED_COLOR = "#6a3d9a"; // the marks of days with events the map cannot place

// How many events each stretch of the slider holds: a bar per pixel column, on a square-root
// scale so a quiet month still shows beside a busy one; above them, a mark for each day with
// events without a location (listed, not on the map).
function drawHistogram(anchor, firstDay, lastDay, eventsPerDay, unlocatedDays) {
  return strip(anchor, "timeline-histogram", firstDay, lastDay, (ctx, x, width, height) => {
    const columns = new Float64Array(Math.ceil(width) + 1);
    for (const [day, count] of eventsPerDay) {
      if (day >= firstDay && day <= lastDay) columns[Math.round(x(day))] += count;
    }
    const most = Math.sqrt(Math.max(1, ...columns));
    columns.forEach((count, column) => {
      const bar = count ? Math.max(1, (Math.sqrt(count) / most) * (height - 4)) : 0;
      ctx.fillRect(column, height - bar, 1, bar);
    });
    ctx.fillStyle = UNLOCATED_COLOR;
    for (const day of unlocatedDays) {
      if (day >= firstDay && day <= lastDay) ctx.fillRect(Math.round(x(day)) - 1, 0, 2, 3);
    }
  });
}

// `nodes`: slider, label, prev, next, play; optional speed (a <select> of days per step), picker
// (an <input type=date>). `eventsPerDay`: [[day, count]] for the histogram (none: no histogram);
// `unlocatedDays`: the days with events without a location, marked above it.
// onChange(day, picked, moving): `picked` when the reader chose this date (a button, the picker, a
// key that jumps), not while dragging or playing: the URL keeps the former as history entries.
// `moving` while the slider is held (a pointer down on it) or plays: a date a frame may follow.
export function createTimeline(nodes, { firstDay, lastDay, changeDays, eventsPerDay = [], unlocatedDays = [] },
  onChange) {
  const { slider, label, prev, next, play, speed, picker } = nodes;
  slider.min = firstDay;
  slider.max = lastDay;
  slider.step = 1;
  slider.disabled = false;
  const ticks = drawTicks(slider, firstDay, lastDay, changeDays);
  if (eventsPerDay.length) drawHistogram(ticks, firstDay, lastDay, eventsPerDay, unlocatedDays);
  if (picker) {
    picker.min = isoFromDay(firstDay);
    picker.max = isoFromDay(lastDay);
  }
  let timer = null;
  let held = false; // a pointer (mouse, finger, pen) is down on the slider: it is being dragged
  slider.addEventListener("pointerdown", () => { held = true; });
  for (const type of ["pointerup", "pointercancel", "blur"]) window.addEventListener(type, () => { held = false; });

  function set(day, { notify = true, picked = false } = {}) {
    const clamped = Math.min(lastDay, Math.max(firstDay, day));
    slider.value = clamped;
    const text = formatDay(clamped);
    label.value = text;
    slider.setAttribute("aria-valuetext", text);
    if (picker) picker.value = isoFromDay(clamped);
    if (notify) onChange(clamped, picked, held || timer !== null);
  }
  const current = () => Number(slider.value);
  const pick = (day) => day !== undefined && set(day, { picked: true });
  const previousChange = () => changeDays.filter((day) => day < current()).pop();
  const nextChange = () => changeDays.find((day) => day > current());

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = _("Play");
    play.setAttribute("aria-pressed", "false");
  }

  function toggle() {
    if (timer) return stop();
    if (current() >= lastDay) set(firstDay);
    play.textContent = _("Pause");
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      const step = Number(speed?.value ?? 1) || 1;
      if (current() >= lastDay) stop();
      else set(current() + step);
    }, PLAY_STEP_MS);
  }

  slider.addEventListener("input", () => set(current()));
  slider.addEventListener("keydown", (event) => {
    const jumps = { PageUp: nextChange, PageDown: previousChange, Home: () => firstDay, End: () => lastDay };
    if (jumps[event.key]) {
      event.preventDefault();
      pick(jumps[event.key]());
    } else if (event.key === " ") {
      event.preventDefault();
      toggle();
    }
  });
  prev.addEventListener("click", () => pick(previousChange()));
  next.addEventListener("click", () => pick(nextChange()));
  play.addEventListener("click", toggle);
  picker?.addEventListener("change", () => {
    const day = dayFromIso(picker.value);
    if (day !== null) pick(day);
  });

  return { set, current };
}
