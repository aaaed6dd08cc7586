// The search box: gazetteer places in the theatre and events by words of their title (GET
// /api/v1/search/), as the reader types; choosing a place moves the map there, choosing an
// event moves the slider to its date (and the map to it, if it has a place).
import { el } from "./dom.js";
import { dayFromIso, formatDay } from "./days.js";
import { _, fill, localized } from "./i18n.js";

const TYPING_MS = 200; // ask once the reader pauses

export function createSearch({ input, results, status }, { ask, onPlace, onEvent }) {
  let timer = null;
  let asked = 0;

  function choose(handler, item) {
    results.replaceChildren();
    results.hidden = true;
    status.textContent = "";
    handler(item);
  }

  function show(found) {
    const option = (label, detail, handler, item) => {
      const button = el("button", { type: "button" }, el("strong", {}, label),
        detail ? el("span", { class: "muted" }, ` ${detail}`) : null);
      button.addEventListener("click", () => choose(handler, item));
      return el("li", {}, button);
    };
    const items = [
      ...found.places.map((place) => option(localized(place, "name"), place.governorate, onPlace, place)),
      ...found.events.map((event) => option(localized(event, "title"), formatDay(dayFromIso(event.date)), onEvent, event)),
    ];
    results.replaceChildren(...items);
    results.hidden = items.length === 0;
    status.textContent = items.length ? fill(_("%(places)s places, %(events)s events"),
      { places: found.places.length, events: found.events.length }) : _("Nothing found");
  }

  function asking() {
    clearTimeout(timer);
    const words = input.value.trim();
    if (words.length < 2) {
      results.hidden = true;
      status.textContent = "";
      return;
    }
    timer = setTimeout(async () => {
      const number = ++asked;
      try {
        const found = await ask(words);
        if (number === asked) show(found);
      } catch (error) {
        if (number === asked) status.textContent = error.message;
      }
    }, TYPING_MS);
  }
  input.addEventListener("input", asking);
  asking(); // words typed before this script came (it is imported after the map's first view)
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      results.querySelector("button")?.focus();
    } else if (event.key === "Escape") {
      input.value = "";
      results.hidden = true;
      status.textContent = "";
    }
  });
  results.addEventListener("keydown", (event) => { // up and down between the results
    const buttons = [...results.querySelectorAll("button")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : buttons[Math.min(next, buttons.length - 1)]).focus();
    }
  });
}
