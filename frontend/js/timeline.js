// The date slider and its buttons: scrub, step between control changes, play day by day.
import { formatDay } from "./days.js";

const PLAY_STEP_MS = 250;
const THUMB_PX = 16; // about the width of Chromium's and Firefox's range thumb: ticks line up with it

// Tick marks where the control layer changes, on a strip under the slider, drawn once (again
// when it is resized). Not a <datalist>: Chromium repaints every one of its ticks whenever the
// slider moves, about 23 ms a step with the 2,920 change dates of an 8-year war.
function drawTicks(slider, firstDay, lastDay, changeDays) {
  const strip = document.createElement("canvas");
  strip.className = "timeline-ticks";
  strip.setAttribute("aria-hidden", "true");
  slider.after(strip);
  const draw = () => {
    const width = strip.clientWidth;
    const height = strip.clientHeight;
    const scale = window.devicePixelRatio || 1;
    strip.width = Math.round(width * scale);
    strip.height = Math.round(height * scale);
    const ctx = strip.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = getComputedStyle(strip).color;
    const span = Math.max(1, lastDay - firstDay);
    for (const day of changeDays) {
      const x = THUMB_PX / 2 + ((day - firstDay) / span) * (width - THUMB_PX);
      ctx.fillRect(Math.round(x * scale) / scale, 0, 1, height);
    }
  };
  new ResizeObserver(draw).observe(strip);
}

export function createTimeline({ slider, label, prev, next, play }, { firstDay, lastDay, changeDays }, onChange) {
  slider.min = firstDay;
  slider.max = lastDay;
  slider.step = 1;
  slider.disabled = false;
  drawTicks(slider, firstDay, lastDay, changeDays);
  let timer = null;

  function set(day, { notify = true } = {}) {
    const clamped = Math.min(lastDay, Math.max(firstDay, day));
    slider.value = clamped;
    label.value = formatDay(clamped);
    if (notify) onChange(clamped);
  }
  const current = () => Number(slider.value);

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }

  slider.addEventListener("input", () => set(current()));
  prev.addEventListener("click", () => {
    const earlier = changeDays.filter((day) => day < current());
    if (earlier.length) set(earlier[earlier.length - 1]);
  });
  next.addEventListener("click", () => {
    const later = changeDays.find((day) => day > current());
    if (later !== undefined) set(later);
  });
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (current() >= lastDay) set(firstDay);
    play.textContent = "Pause";
    timer = setInterval(() => (current() >= lastDay ? stop() : set(current() + 1)), PLAY_STEP_MS);
  });

  return { set, current };
}
