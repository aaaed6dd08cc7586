// Build DOM nodes from data with textContent only: API text never becomes HTML.
import { _, fill, LOCALE } from "./i18n.js";

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "style") Object.assign(node.style, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A whole number, and an area, as the page's language writes them.
export const number = (value) => Math.round(value).toLocaleString(LOCALE);
export const km2 = (value) => fill(_("%(km2)s km²"), { km2: number(value) });
