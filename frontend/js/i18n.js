// The page's language and its words. The server chose the language (?lang=, else the
// DEFAULT_LANGUAGE setting) and wrote it into <html lang dir>; a page in another language than
// English loads Django's JavaScript catalog (/jsi18n/) before the modules, which gives gettext
// and ngettext. English pages load none, and the words are the ones written here.
export const LANG = document.documentElement.lang || "en";
export const RTL = document.documentElement.dir === "rtl";
// Arabic month names as said in the Levant, with Western digits, as Arabic news sites print them.
export const LOCALE = LANG === "ar" ? "ar-SY-u-nu-latn" : "en-GB";

export const _ = (text) => (globalThis.gettext ? globalThis.gettext(text) : text);

export function ngettext(one, many, count) {
  return globalThis.ngettext ? globalThis.ngettext(one, many, count) : count === 1 ? one : many;
}

// "%(name)s" placeholders filled, as Python's and Django's interpolate() fill them.
export const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_match, key) => String(values[key]));

// A field in the page's language: `item.<field>_ar` on an Arabic page when it has one.
export const localized = (item, field) => (LANG === "ar" && item[`${field}_ar`]) || item[field];
