// The event points a date's window needs (GET /api/v1/events/points/). They come a calendar
// month at a time as compact arrays (cached), so a long war never loads all at once and a day's
// step rarely needs a request; an embed of one date, never scrubbed, asks for its window alone.
import { apiUrl, getJson } from "./api.js";
import { isoFromDay, monthOf } from "./days.js";

// `askedFilters()`: the filters the server applies ({actor, confidence}), as query parameters;
// `noneAsked()`: whether the filters let no event through (then nothing is asked for).
export function createEventWindow({ api, theatreSlug, oneDate, askedFilters, noneAsked }) {
  const months = new Map(); // "filters first day" of a month -> Promise of that month's event points

  function pointsOfMonth(firstDay, nextDay) {
    const asked = askedFilters();
    const key = `${JSON.stringify(asked)} ${firstDay}`;
    if (!months.has(key)) {
      const query = { theatre: theatreSlug, from: isoFromDay(firstDay), to: isoFromDay(nextDay), ...asked };
      months.set(key, getJson(apiUrl(api, "events/points/", query)));
    }
    return months.get(key);
  }

  // A promise of the blocks holding the days [from, day].
  return function blocksOf(from, day) {
    if (noneAsked()) return Promise.resolve([]);
    if (oneDate) {
      return Promise.all([getJson(apiUrl(api, "events/points/", { theatre: theatreSlug, from: isoFromDay(from),
        to: isoFromDay(day + 1), ...askedFilters() }))]);
    }
    const chunks = [];
    for (let [first, next] = monthOf(from); first <= day; [first, next] = monthOf(next)) {
      chunks.push(pointsOfMonth(first, next));
    }
    return Promise.all(chunks);
  };
}
