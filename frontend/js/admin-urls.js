import { getJson } from "./api.js";

// What an admin form's map script reads from its page. The URLs it calls, as the page names them: the ModelAdmin puts them in
// the change form's context as `admin_map_urls` (made by reverse()), and the template
// (editorial/templates/admin/editorial_change_form.html) writes them with json_script, which is
// data, not code, so a Content-Security-Policy with nonces lets it be.
export function adminMapUrls() {
  const node = document.getElementById("admin-map-urls");
  if (!node) throw new Error("this page names no URLs for its map (admin_map_urls)");
  return JSON.parse(node.textContent);
}

let theatres = null; // the API's theatres, fetched once per page

// The theatre chosen in the form's Theatre box, as the API describes it (matched by the name the
// box shows, which is the theatre's name), or null when none is chosen.
export async function chosenTheatre(theatresUrl) {
  theatres ??= getJson(theatresUrl).then((answer) => answer.features);
  const chosen = document.getElementById("id_theatre")?.selectedOptions[0]?.textContent;
  return (await theatres).find((feature) => feature.properties.name === chosen) ?? null;
}
