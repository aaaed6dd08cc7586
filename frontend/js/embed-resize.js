// For the article page: include this script once, and every iframe of a conflictmap embed with
// data-conflictmap-resize gets the height its embed asks for (embed-height.js). A message counts
// only if it comes from the window of one of those iframes, from that iframe's own origin, and
// has the expected shape; anything else is ignored. A classic script with no imports, so a
// newsroom's page can load it from this site as it is:
//   <script src="https://maps.example.org/static/frontend/js/embed-resize.js" async></script>
(function () {
  var MESSAGE = "conflictmap:embed-height";
  var MIN_PX = 150;
  var MAX_PX = 5000;

  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-conflictmap-resize]");
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== MESSAGE) return;
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var frame = frameOf(event.source);
    if (!frame) return;
    var origin;
    try {
      origin = new URL(frame.src, document.baseURI).origin;
    } catch (error) {
      return;
    }
    if (event.origin !== origin) return;
    frame.style.height = Math.round(Math.min(MAX_PX, Math.max(MIN_PX, data.height))) + "px";
  });
})();
