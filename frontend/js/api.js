// The read API, as the map uses it. Every call reports failures with the API's own message.

export class ApiError extends Error {}

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(message);
  }
  return response.json();
}

export function apiUrl(base, path, params) {
  return `${base}${path}?${new URLSearchParams(params)}`;
}

// `ask(what)`, asked once per `keyOf(what)`: later calls share its promise; a failed one is
// forgotten, so the next call asks again (the layers drawn per date: confidence-layer.js,
// fronts-layer.js).
export function askedOnce(ask, keyOf = (what) => what) {
  const answers = new Map();
  return (what) => {
    const key = keyOf(what);
    if (!answers.has(key)) {
      answers.set(key, ask(what).catch((error) => {
        answers.delete(key);
        throw error;
      }));
    }
    return answers.get(key);
  };
}
