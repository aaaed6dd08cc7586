// Dates as whole UTC days (integers), so the timeline does arithmetic on numbers, not strings.
// ISO strings ("2018-12-28") only at the edges: the API and the URL.
import { LOCALE } from "./i18n.js";

const MS_PER_DAY = 86400000;

export function dayFromIso(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms)) return null;
  const day = Math.round(ms / MS_PER_DAY);
  return isoFromDay(day) === iso ? day : null; // refuses 2020-02-31 rather than rolling it over
}

// The first day of the month containing `day`, and of the month after it.
export function monthOf(day) {
  const date = new Date(day * MS_PER_DAY);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / MS_PER_DAY;
  const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / MS_PER_DAY;
  return [first, next];
}

export function isoFromDay(day) {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

// One formatter for every call: toLocaleDateString builds one each time, a millisecond a date
// step at 8 years (the legend, the labels and the event window each format dates).
const DAY_FORMAT = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function formatDay(day) {
  return DAY_FORMAT.format(new Date(day * MS_PER_DAY));
}

const SHORT_FORMAT = new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

// "14 Dec 2018": for table headings and other narrow places.
export function formatShortDay(day) {
  return SHORT_FORMAT.format(new Date(day * MS_PER_DAY));
}

const MONTH_FORMAT = new Intl.DateTimeFormat(LOCALE, { month: "long", year: "numeric", timeZone: "UTC" });

export function formatMonth(day) {
  return MONTH_FORMAT.format(new Date(day * MS_PER_DAY));
}
