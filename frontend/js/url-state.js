// The view state that lives in the URL: one encode/decode pair per field, shared by the full
// map, share links, embeds (ad hoc: /embed/?…; saved views: MapView.state() on the server writes
// the same names) and oEmbed. Unknown or malformed values decode to null and are ignored.
import { dayFromIso, isoFromDay } from "./days.js";

const day = {
  encode: (value) => isoFromDay(value),
  decode: (text) => dayFromIso(text),
};

// A set of slugs (factions, event types), comma-separated; "none": the empty set (show none);
// none valid: null (show them all).
const slugs = {
  encode: (set) => (set.size ? [...set].sort().join(",") : "none"),
  decode: (text) => {
    if (text === "none") return new Set();
    const valid = (text ?? "").split(",").filter((slug) => /^[-a-z0-9_]{1,50}$/.test(slug));
    return valid.length ? new Set(valid) : null;
  },
};

// A database id: a whole number from 1.
const id = {
  encode: (number) => String(number),
  decode: (text) => (/^[1-9]\d{0,15}$/.test(text ?? "") ? Number(text) : null),
};

export const FIELDS = {
  date: day,
  compare: day, // a second date to compare the first with (compare.js)
  // A range for an embed's slider (both, or it is ignored: see rangeOf).
  from: day,
  to: day,
  factions: slugs,
  types: slugs, // the event types shown
  actors: slugs, // events any of these sides took part in
  confidence: slugs, // events reported as sure as these (high, medium, low)
  // A cited build's number: the layers as that build published them (never changing).
  build: id,
  event: id, // the event whose card is open (event-selection.js)
  view: {
    // zoom/lat/lng, like most web maps
    encode: ({ zoom, lat, lng }) => `${zoom}/${lat.toFixed(4)}/${lng.toFixed(4)}`,
    decode: (text) => {
      const parts = (text ?? "").split("/").map(Number);
      if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
      const [zoom, lat, lng] = parts;
      if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || zoom < 0 || zoom > 22) return null;
      return { zoom, lat, lng };
    },
  },
  // The page's language (conflictmap/http/language.py): kept in shared links and embed codes.
  lang: {
    encode: (code) => code,
    decode: (text) => (["en", "ar"].includes(text) ? text : null),
  },
  // The spot whose history is open (place-popup.js): lat,lng
  place: {
    encode: ({ lat, lng }) => `${lat.toFixed(4)},${lng.toFixed(4)}`,
    decode: (text) => {
      const [lat, lng] = (text ?? "").split(",").map(Number);
      return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
        && (text ?? "").split(",").length === 2 ? { lat, lng } : null;
    },
  },
  drafts: {
    // the editors' preview with drafts (staff only; the API refuses anyone else): 1, or absent
    encode: (on) => (on ? "1" : null),
    decode: (text) => (text === "1" ? true : null),
  },
};

// The slider's range a state names: [from, to] if both are valid and in order, else null.
export function rangeOf(state) {
  return state.from !== undefined && state.to !== undefined && state.from < state.to ? [state.from, state.to] : null;
}

export function readState(search = window.location.search) {
  const params = new URLSearchParams(search);
  const state = {};
  for (const [name, field] of Object.entries(FIELDS)) {
    const value = params.has(name) ? field.decode(params.get(name)) : null;
    if (value !== null) state[name] = value;
  }
  return state;
}

export function encodeState(state) {
  const params = new URLSearchParams();
  for (const [name, field] of Object.entries(FIELDS)) {
    const text = state[name] === undefined || state[name] === null ? null : field.encode(state[name]);
    if (text !== null) params.set(name, text);
  }
  return params.toString();
}

const WRITE_DELAY_MS = 300;
let pendingWrite = null; // a replace waiting for its turn: [timer, state]

function addressOf(state) {
  const query = encodeState(state);
  return query ? `?${query}` : window.location.pathname;
}

function write(state, push) {
  try {
    const address = addressOf(state);
    if (push && address !== (window.location.search || window.location.pathname)) {
      window.history.pushState(null, "", address);
    } else {
      window.history.replaceState(null, "", address);
    }
  } catch {
    // the URL is a convenience; the map must keep working without it
  }
}

// The view into the address bar. A reader's pick (a date chosen, a button's step, a comparison)
// is a history entry of its own, so Back returns to the date before; everything else (dragging
// the slider, playing, panning) replaces the current entry, at most every 300 ms: browsers limit
// history updates (Safari throws after about 100 in 30 s while playing). A pick first writes
// the replace still waiting, so the entry it leaves is where the reader was.
export function writeState(state, { push = false } = {}) {
  if (pendingWrite) {
    clearTimeout(pendingWrite[0]);
    if (push) write(pendingWrite[1], false);
    pendingWrite = null;
  }
  if (push) {
    write(state, true);
    return;
  }
  pendingWrite = [setTimeout(() => {
    pendingWrite = null;
    write(state, false);
  }, WRITE_DELAY_MS), state];
}
