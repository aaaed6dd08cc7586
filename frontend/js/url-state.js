// The view state that lives in the URL: one encode/decode pair per field, shared by the full
// map, share links and (later) embeds. Unknown or malformed values decode to null and are ignored.
import { dayFromIso, isoFromDay } from "./days.js";

export const FIELDS = {
  date: {
    encode: (day) => isoFromDay(day),
    decode: (text) => dayFromIso(text),
  },
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
  drafts: {
    // the editors' preview with drafts (staff only; the API refuses anyone else): 1, or absent
    encode: (on) => (on ? "1" : null),
    decode: (text) => (text === "1" ? true : null),
  },
};

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
let pendingWrite = null;

// Replace (not push) so scrubbing does not flood the back button, and at most every 300 ms:
// browsers limit history updates (Safari throws after about 100 in 30 s while playing).
export function writeState(state) {
  clearTimeout(pendingWrite);
  pendingWrite = setTimeout(() => {
    const query = encodeState(state);
    try {
      window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
    } catch {
      // the URL is a convenience; the map must keep working without it
    }
  }, WRITE_DELAY_MS);
}
