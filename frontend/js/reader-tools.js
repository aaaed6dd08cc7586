// The full map's tools for reading a date: the date in words (summary.js), a comparison with a
// second date (compare.js), the events' key and filters (event-filters.js), the search box
// (search.js) and the share dialog (share.js). Each is imported only where the page has its place (an embed has none), so an
// embed's weight is only what it draws. `page` is what they need of the map page (map-page.js).
import { apiUrl, getJson } from "./api.js";
import { isoFromDay } from "./days.js";
import { LANG } from "./i18n.js";

const $ = (id) => document.getElementById(id);

export function addReaderTools(map, page) {
  const { api, theatreSlug, view, report } = page;
  const ask = (path, query) => getJson(apiUrl(api, path, { theatre: theatreSlug, ...query }));
  let summary = null;
  let comparison = null;
  import("./share.js").then(({ createShare }) => createShare({ button: $("share"), dialog: $("share-dialog"),
    link: $("share-link"), fixed: $("share-fixed"), responsive: $("share-responsive"), image: $("share-image"),
    downloads: $("share-downloads"), close: $("share-close") }, page.fullQuery, page.theatreSlug, page.theatreName,
  page.eventWindowDays)).catch((error) => report(error.message));
  if ($("summary")) {
    import("./summary.js").then(({ createSummary }) => {
      summary = createSummary($("summary"), (day) => ask("summary/", { date: isoFromDay(day), lang: LANG }));
      if (view.day !== null) summary.show(view.day);
    }).catch((error) => report(error.message));
  }
  if ($("compare-date")) {
    import("./compare.js").then(({ createCompare }) => {
      comparison = createCompare(map, { input: $("compare-date"), clear: $("compare-clear"),
        table: $("compare-table"), summary: $("compare-summary") }, {
        ask: (from, to, geometry) => ask("compare/", { from, to, ...(geometry ? { geometry: true } : {}) }),
        palette: page.palette, firstDay: page.firstDay, lastDay: page.lastDay, pieces: page.pieces,
        onPick: (compare) => page.update({ compare }, { picked: true }),
      });
      comparison.show(view.day, view.compare);
    }).catch((error) => report(error.message));
  }
  if ($("event-filters")) {
    Promise.all([import("./event-filters.js"), ask("factions/", {})]).then(([{ createEventFilters }, factions]) =>
      createEventFilters($("event-filters"), { types: page.eventTypes, factions, initial: page.filters,
        onChange: (picked) => page.setFilters(picked) })).catch((error) => report(error.message));
  }
  if ($("search")) {
    import("./search.js").then(({ createSearch }) => createSearch(
      { input: $("search"), results: $("search-results"), status: $("search-status") }, {
        ask: (q) => ask("search/", { q, lang: LANG }),
        onPlace: (found) => {
          map.setView([found.lat, found.lon], Math.max(map.getZoom(), 10));
          page.showPlace(L.latLng(found.lat, found.lon));
        },
        onEvent: (found) => page.selectEvent(found.id, { picked: true }),
      })).catch((error) => report(error.message));
  }
  return {
    // The view has changed (`change`: what map-page's update was given).
    changed(change) {
      if ("day" in change || "compare" in change) comparison?.show(view.day, view.compare);
      if ("day" in change) summary?.show(view.day);
    },
  };
}
