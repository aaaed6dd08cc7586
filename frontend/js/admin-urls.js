// The URLs an admin form's map script calls, as the page names them: the ModelAdmin puts them in
// the change form's context as `admin_map_urls` (made by reverse()), and the template
// (editorial/templates/admin/editorial_change_form.html) writes them with json_script, which is
// data, not code, so a Content-Security-Policy with nonces lets it be.
export function adminMapUrls() {
  const node = document.getElementById("admin-map-urls");
  if (!node) throw new Error("this page names no URLs for its map (admin_map_urls)");
  return JSON.parse(node.textContent);
}
