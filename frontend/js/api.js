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
