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

// `ask(key)`, asked once per key: later calls share its promise; a failed one is forgotten, so
// the next call asks again (the layers drawn per date: confidence-layer.js, fronts-layer.js).
export function askedOnce(ask) {
  const answers = new Map();
  return (key) => {
    if (!answers.has(key)) {
      answers.set(key, ask(key).catch((error) => {
        answers.delete(key);
        throw error;
      }));
    }
    return answers.get(key);
  };
}
