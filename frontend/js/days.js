// Dates as whole UTC days (integers), so the timeline does arithmetic on numbers, not strings.
// ISO strings ("2018-12-28") only at the edges: the API and the URL.

const MS_PER_DAY = 86400000;

export function dayFromIso(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? null : Math.round(ms / MS_PER_DAY);
}

export function isoFromDay(day) {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function formatDay(day) {
  return new Date(day * MS_PER_DAY).toLocaleDateString("en-GB", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
}
