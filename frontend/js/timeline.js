// The date slider and its buttons: scrub, step between control changes, play day by day.
import { formatDay } from "./days.js";

const PLAY_STEP_MS = 250;

export function createTimeline({ slider, label, prev, next, play }, { firstDay, lastDay, changeDays }, onChange) {
  slider.min = firstDay;
  slider.max = lastDay;
  slider.step = 1;
  slider.disabled = false;
  // Tick marks where the control layer changes (Chromium and Firefox draw them under the track).
  const ticks = document.createElement("datalist");
  ticks.id = `${slider.id}-changes`;
  ticks.append(...changeDays.map((day) => Object.assign(document.createElement("option"), { value: day })));
  slider.after(ticks);
  slider.setAttribute("list", ticks.id);
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
