// Mokhattat map viewer: the base under the data, as the server is configured (docs/basemap.md).
// - builtin: land, water and place names from the shipped boundaries (layers of group "base" in
//   styles/planning.json) — nothing to add;
// - raster: an XYZ tile template with its attribution, drawn under the data;
// - pmtiles: a raster PMTiles archive served by this server (/map/basemap.pmtiles), read with
//   the vendored `pmtiles` protocol (HTTP Range requests), drawn like raster tiles;
// - style: a MapLibre style's sources and layers, drawn under the data (its labels in the
//   server's own fonts, its icons left out: one map has one glyph server).
// With an external base the built-in land and sea are hidden and the commune fill made see-through.
// Exposes window.mokhattatBasemap(map, basemap) → Promise, called once the planning style is loaded.
(function () {
  "use strict";

  function firstDataLayer(map) {
    var layers = map.getStyle().layers;
    for (var i = 0; i < layers.length; i++) {
      var m = layers[i].metadata;
      if (!(m && m["mokhattat:group"] === "base")) return layers[i].id;
    }
    return undefined;
  }

  function quietOwnBase(map) {
    map.getStyle().layers.forEach(function (l) {
      if (l.metadata && l.metadata["mokhattat:group"] === "base") map.setLayoutProperty(l.id, "visibility", "none");
    });
    if (map.getLayer("municipalities-fill")) map.setPaintProperty("municipalities-fill", "fill-opacity", 0.12);
    if (map.getLayer("landuse-fill")) map.setPaintProperty("landuse-fill", "fill-opacity", 0.5);
  }

  // `pmtiles://` URLs: the protocol once; a same-server path (pmtiles:///map/…) made absolute
  function pmtilesUrl(u) {
    if (window.pmtiles && !window.__mokhattatPmtiles) {
      window.__mokhattatPmtiles = new window.pmtiles.Protocol();
      window.maplibregl.addProtocol("pmtiles", window.__mokhattatPmtiles.tile);
    }
    var rest = u.replace(/^pmtiles:\/\//, "");
    return "pmtiles://" + new URL(rest, window.location.href).href;
  }

  function raster(map, b) {
    var tiles = b.kind === "pmtiles" ? pmtilesUrl(b.url) + "/{z}/{x}/{y}" : b.tiles;
    map.addSource("basemap", {
      type: "raster", tiles: [tiles], tileSize: 256, minzoom: b.min_zoom || 0, maxzoom: b.max_zoom || 19,
      attribution: b.attribution || "",
    });
    map.addLayer({ id: "basemap", type: "raster", source: "basemap", metadata: { "mokhattat:group": "basemap" } }, firstDataLayer(map));
    quietOwnBase(map);
  }

  function style(map, b) {
    return fetch(b.url).then(function (r) {
      if (!r.ok) throw new Error("basemap style " + b.url + ": HTTP " + r.status);
      return r.json();
    }).then(function (s) {
      var before = firstDataLayer(map);
      Object.keys(s.sources || {}).forEach(function (id) {
        var src = s.sources[id];
        if (typeof src.url === "string" && src.url.indexOf("pmtiles://") === 0) src.url = pmtilesUrl(src.url);
        map.addSource("basemap-" + id, src);
      });
      (s.layers || []).forEach(function (l) {
        var layer = JSON.parse(JSON.stringify(l));
        layer.id = "basemap-" + l.id;
        if (layer.source) layer.source = "basemap-" + layer.source;
        layer.metadata = { "mokhattat:group": "basemap" };
        if (layer.type === "symbol") {
          layer.layout = layer.layout || {};
          delete layer.layout["icon-image"];
          if (!layer.layout["text-field"]) return;
          layer.layout["text-font"] = ["Noto Sans Regular"];
        }
        map.addLayer(layer, before);
      });
      quietOwnBase(map);
    });
  }

  window.mokhattatBasemap = function (map, b) {
    if (b && (b.kind === "raster" || b.kind === "pmtiles")) { raster(map, b); return Promise.resolve(); }
    if (b && b.kind === "style") return style(map, b);
    return Promise.resolve();
  };
})();
