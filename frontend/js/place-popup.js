// Click (or tap, or press Enter on the focused map for its centre) anywhere in the theatre: who
// held that spot on the date shown, since when, by which change and on whose report, and the
// spot's whole history as a strip of controllers along the timeline; a segment of the strip
// moves the slider to its first day. Asked of GET /api/v1/control/at/ at every zoom.
import { el } from "./dom.js";
import { dayFromIso, formatDay } from "./days.js";
import { _, fill } from "./i18n.js";
import { confidenceLabel } from "./confidence.js";

function sourceLink(source) {
  const label = [source.publisher, source.title].filter(Boolean).join(": ");
  return el("li", {}, source.url ? el("a", { href: source.url, target: "_blank", rel: "noopener" }, label) : label);
}

// The runs across [firstDay, lastDay], each as wide as it lasted; given `jump`, each a button
// that moves the slider to the first day of its run (within the slider's span).
function runStrip(history, firstDay, lastDay, palette, jump) {
  const buttons = history.map((run) => {
    const start = Math.max(firstDay, dayFromIso(run.start));
    const end = run.end ? Math.min(lastDay + 1, dayFromIso(run.end)) : lastDay + 1;
    if (end <= start) return null;
    const when = `${formatDay(start)} – ${run.end ? formatDay(end - 1) : _("now")}`;
    const segment = el(jump ? "button" : "span", {
      type: jump ? "button" : null, class: "place-run", title: `${palette.name(run)}: ${when}`,
      "aria-label": `${palette.name(run)}, ${when}`, "data-start": run.start,
      style: { flexGrow: String(end - start), background: palette.color(run) },
    });
    if (jump) segment.addEventListener("click", () => jump(start));
    return segment;
  });
  return el("div", { class: "place-strip", role: "group", "aria-label": _("Who held it, along the timeline") },
    buttons.filter(Boolean));
}

// How sure the record is, said only when it is less than confirmed (confidence.js draws it).
function sureness(confidence) {
  if (!confidence || confidence.level === "confirmed") return null;
  return el("div", { class: "place-confidence", "data-confidence": confidence.level },
    fill(_("%(level)s, since %(day)s"), { level: confidenceLabel(confidence.level), day: formatDay(dayFromIso(confidence.since)) }));
}

// `onPlace(latlng)`: told the spot shown, and null when its popup closes (the URL keeps it).
export function createPlacePopup(map, { ask, palette, firstDay, lastDay, jump, onPlace = () => {} }) {
  const popup = L.popup({ maxWidth: 320, className: "place-popup" });
  let asked = 0;
  popup.on("remove", () => onPlace(null));

  async function show(latlng) {
    const number = ++asked;
    popup.setLatLng(latlng).setContent(_("Loading…")).openOn(map);
    onPlace(latlng);
    let body;
    try {
      body = await ask(latlng);
    } catch (error) {
      if (number === asked) popup.setContent(error.message);
      return;
    }
    if (number !== asked) return;
    const held = body.held_by;
    const change = body.change;
    popup.setContent(el("div", { class: "place" },
      el("strong", {}, el("span", { class: "swatch", style: { background: palette.color(held) } }), " ", palette.name(held)),
      el("div", {}, fill(_("since %(day)s"), { day: formatDay(dayFromIso(body.since)) }),
        body.until ? fill(_(", until %(day)s"), { day: formatDay(dayFromIso(body.until) - 1) }) : ""),
      sureness(body.confidence),
      change && el("div", { class: "muted" }, fill(_("Change of %(day)s"), { day: formatDay(dayFromIso(change.date)) }),
        change.note ? `: ${change.note}` : ""),
      change && change.sources.length ? el("ul", { class: "sources" }, change.sources.map(sourceLink)) : null,
      runStrip(body.history, firstDay, lastDay, palette, jump),
    ));
    map.getContainer().dataset.place = `${body.held_by.faction ?? "no-data"} ${body.since}`;
  }

  return { show }; // map-page.js shows it on a click, a tap or Enter
}
