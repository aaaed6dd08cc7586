// The map page's Share control: a link to this exact view, the iframe code to paste into an
// article (fixed size or responsive), from the oEmbed provider (embeds/oembed.py, the one
// writer of embed codes), the image of this view, and its data as files (/api/v1/exports/).
import { dayFromIso, isoFromDay } from "./days.js";
import { el } from "./dom.js";
import { _, fill } from "./i18n.js";

// The card's parameters (GET /api/v1/card.png) a view's URL state gives.
const CARD_PARAMETERS = ["theatre", "date", "factions", "build"];

// The download links (a[data-kind][data-format] in `box`) for the view's date: the control
// layer, and the events of the `windowDays` shown up to it.
function pointDownloads(box, state, windowDays) {
  const theatre = state.get("theatre");
  const day = dayFromIso(state.get("date"));
  if (day === null) return;
  for (const link of box.querySelectorAll("a[data-kind]")) {
    const query = link.dataset.kind === "control"
      ? { theatre, date: isoFromDay(day), format: link.dataset.format }
      : { theatre, from: isoFromDay(day - windowDays + 1), to: isoFromDay(day + 1), format: link.dataset.format };
    link.href = `/api/v1/exports/${link.dataset.kind}/?${new URLSearchParams(query)}`;
  }
}

// `nodes`: {button, dialog, link, fixed, responsive, image, downloads, close}; `query()`: the
// view's URL state (url-state.js encodeState); `theatre`: its slug; `title`: the image's;
// `windowDays`: how many days of events the map shows up to its date.
export function createShare(nodes, query, theatre, title, windowDays) {
  async function open() {
    const page = `${window.location.origin}${window.location.pathname}?${query()}`; // the theatre's page
    nodes.link.value = page;
    const state = new URLSearchParams(query());
    state.set("theatre", theatre);
    const card = new URLSearchParams({ title });
    for (const name of CARD_PARAMETERS) if (state.has(name)) card.set(name, state.get(name));
    nodes.image.href = `/api/v1/card.png?${card}`;
    pointDownloads(nodes.downloads, state, windowDays);
    nodes.fixed.value = nodes.responsive.value = _("Loading…");
    nodes.dialog.showModal();
    try {
      const response = await fetch(`/oembed/?${new URLSearchParams({ url: page, format: "json" })}`);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const answer = await response.json();
      nodes.fixed.value = answer.html;
      nodes.responsive.value = answer.responsive_html;
    } catch (error) {
      nodes.fixed.value = nodes.responsive.value = fill(_("Could not make the code: %(error)s"), { error: error.message });
    }
  }

  nodes.button.addEventListener("click", () => open());
  nodes.close.addEventListener("click", () => nodes.dialog.close());
  for (const field of [nodes.link, nodes.fixed, nodes.responsive]) {
    const copy = el("button", { type: "button", class: "copy" }, "Copy");
    copy.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        copy.textContent = "Copied";
      } catch {
        copy.textContent = "Selected: press Ctrl+C"; // no clipboard access (plain http, or refused)
      }
    });
    field.after(copy);
  }
}
