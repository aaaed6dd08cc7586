// The events' key and filters in one: each type with its marker (shape and colour) as a checkbox,
// the side that took part, and how sure the reports are. What the reader picks goes to
// onChange({types, actors, confidence}), each a Set, or null for "all".
import { el } from "./dom.js";
import { shapeSwatch } from "./shapes.js";
import { _, localized } from "./i18n.js";

const CONFIDENCE = [["high", _("confirmed")], ["medium", _("credible")], ["low", _("claimed")]];

const checked = (boxes) => {
  const on = boxes.filter((box) => box.checked).map((box) => box.value);
  return on.length === boxes.length ? null : new Set(on);
};

export function createEventFilters(container, { types, factions, initial, onChange }) {
  const typeBoxes = types.map(({ type }) => el("input", { type: "checkbox", value: type,
    checked: !initial.types || initial.types.has(type) }));
  const sureBoxes = CONFIDENCE.map(([level]) => el("input", { type: "checkbox", value: level,
    checked: !initial.confidence || initial.confidence.has(level) }));
  const sides = factions.filter((faction) => faction.kind !== "status");
  const actor = el("select", { id: "event-actor" }, el("option", { value: "" }, _("All sides")),
    sides.map((faction) => el("option", { value: faction.slug, selected: initial.actors?.has(faction.slug) },
      localized(faction, "name"))));
  const emit = () => onChange({ types: checked(typeBoxes), actors: actor.value ? new Set([actor.value]) : null,
    confidence: checked(sureBoxes) });
  for (const input of [...typeBoxes, ...sureBoxes, actor]) input.addEventListener("change", emit);
  container.replaceChildren(
    el("fieldset", { class: "event-key" }, el("legend", {}, _("Types (the markers' key): show")),
      types.map(({ shape, color, label }, i) => el("label", { "data-type": types[i].type },
        typeBoxes[i], shapeSwatch(shape, color), ` ${label}`))),
    el("div", { class: "event-filter-row" },
      el("label", { for: "event-actor" }, `${_("Side")} `), actor,
      el("fieldset", { class: "event-confidence" }, el("legend", {}, _("Reports")),
        CONFIDENCE.map(([level, label], i) => el("label", { "data-confidence": level }, sureBoxes[i], ` ${label}`)))),
  );
}
