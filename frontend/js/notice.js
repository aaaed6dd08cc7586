// The theatre's notice folds to one line on a phone (map.css); "more" opens it, "less" folds it.
import { _ } from "./i18n.js";

export function foldableNotice(wrap, button) {
  if (!wrap || !button) return;
  button.addEventListener("click", () => {
    const open = wrap.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? _("less") : _("more");
  });
}
