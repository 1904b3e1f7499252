// Mokhattat map viewer: the base under the data, as the server is configured (docs/basemap.md).
// - builtin: land, water and place names from the shipped boundaries (layers of group "base" in
//   styles/planning.json) — nothing to add;
// - raster: an XYZ tile template with its attribution, drawn under the data;
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

  function raster(map, b) {
    map.addSource("basemap", {
      type: "raster", tiles: [b.tiles], tileSize: 256, maxzoom: b.max_zoom || 19, attribution: b.attribution || "",
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
      Object.keys(s.sources || {}).forEach(function (id) { map.addSource("basemap-" + id, s.sources[id]); });
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
    if (b && b.kind === "raster") { raster(map, b); return Promise.resolve(); }
    if (b && b.kind === "style") return style(map, b);
    return Promise.resolve();
  };
})();
