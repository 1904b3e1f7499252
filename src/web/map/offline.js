// Offline tiles in the viewer (issue 13 item 5, docs/offline.md): `/map?pmtiles=URL` reads every
// tile source of the planning style from a PMTiles archive written by `mokhattat export tiles
// --format pmtiles` instead of the server's /tiles (the `pmtiles` protocol from the npm registry,
// vendored as /map/assets/pmtiles.js). The archive's server must answer HTTP Range requests (and
// allow this origin by CORS when it is another one). Loaded before viewer.js: it wraps
// maplibregl.Map so the viewer itself needs no change.
(function () {
  "use strict";
  var archive = new URLSearchParams(window.location.search).get("pmtiles");
  if (!archive || !window.pmtiles || !window.maplibregl) return;
  var url = new URL(archive, window.location.href).href;
  var protocol = new window.pmtiles.Protocol();
  window.maplibregl.addProtocol("pmtiles", protocol.tile);
  // a TileJSON of this server's tiles (`/tiles/{sources}`) is read from the archive instead
  var isTileJson = function (u) { return /\/tiles\/[^/?]+(\.json)?(\?|$)/.test(u); };
  var Base = window.maplibregl.Map;
  var Offline = function (options) {
    var before = options.transformRequest;
    options.transformRequest = function (u, kind) {
      if (kind === "Source" && isTileJson(u)) return { url: "pmtiles://" + url };
      return before ? before(u, kind) : undefined;
    };
    return new Base(options);
  };
  Offline.prototype = Base.prototype;
  window.maplibregl.Map = Offline;
  window.__mokhattatOffline = { pmtiles: url };
})();
