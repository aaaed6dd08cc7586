// In an embed: tell the article page (embed-resize.js, if it is loaded there) the height this
// page wants, so a responsive iframe is as tall as its content. Not the document's scrollHeight,
// which in a page that fills its iframe is the iframe's own height: the height of everything
// but the map, plus a map in landscape proportions for the iframe's width.
export const MESSAGE = "conflictmap:embed-height";
const MAP_SHAPE = 0.62; // height / width of the map
const MIN_MAP_PX = 200;

function wantedHeight() {
  const map = document.querySelector(".embed-map");
  const others = document.body.scrollHeight - map.offsetHeight;
  return Math.ceil(others + Math.max(MIN_MAP_PX, document.body.clientWidth * MAP_SHAPE));
}

if (window.parent !== window) {
  let last = 0;
  const post = () => {
    const height = wantedHeight();
    if (Math.abs(height - last) < 2) return;
    last = height;
    // "*": the article may be on any origin, and the height is no secret.
    window.parent.postMessage({ type: MESSAGE, height }, "*");
  };
  new ResizeObserver(post).observe(document.body);
}
