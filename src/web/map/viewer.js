// Mokhattat map viewer: MapLibre GL JS (vendored), the planning style over a basemap
// (basemap.js), layer toggles, popups (popup.js), French/Arabic with right-to-left text (i18n.js),
// the page around the map (embed.js), URL parameters (?lang=ar, ?municipality=1111, ?embed=1,
// ?layers=projects,landuse, ?status=…&theme=…), and a state object tests can read:
// window.__mokhattat = { ready, renderedFeatures, lang, error, map }.
(function () {
  "use strict";
  var cfg = window.__mokhattatConfig || {};
  var params = new URLSearchParams(location.search);
  var lang = cfg.lang === "ar" ? "ar" : "fr";
  var I = window.mokhattatI18n, chrome = window.mokhattatChrome, legend = window.mokhattatLegend;
  var state = (window.__mokhattat = { ready: false, renderedFeatures: 0, lang: lang, error: null, map: null });
  var GROUPS = ["municipalities", "governorates", "delegations", "landuse", "projects", "facilities"];
  var INTERACTIVE = ["projects-cluster", "projects-point", "projects-line", "projects-area", "facilities-icon", "landuse-fill", "municipalities-fill"];
  var embed = params.get("embed") === "1";
  var municipality = params.get("municipality");
  var ctx = { lang: lang, tr: I.make(lang), embed: embed, municipality: municipality, groups: GROUPS, placeName: null };

  function t(key) { return ctx.tr.t(key); }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  var styleUrl = function () { return "/styles/planning.json?lang=" + lang; };
  // The first view fits the whole country: mainland and islands, La Galite (37.53° N) to Borj el
  // Khadra (30.23° N), Tabarka's hinterland (7.52° E) to Ben Guerdane and Djerba (11.6° E).
  var TUNISIA = [[7.45, 30.15], [11.68, 37.6]];
  var start = { bounds: TUNISIA };
  if (params.get("lon") && params.get("lat")) start = { center: [parseFloat(params.get("lon")), parseFloat(params.get("lat"))], zoom: parseFloat(params.get("z") || "12") };

  if (maplibregl.getRTLTextPluginStatus && maplibregl.getRTLTextPluginStatus() === "unavailable") {
    maplibregl.setRTLTextPlugin("/map/assets/mapbox-gl-rtl-text.js", false).catch(function (e) { fail(String(e)); });
  }

  var map = new maplibregl.Map({
    container: "map", style: styleUrl(), center: start.center, zoom: start.zoom, bounds: start.bounds,
    fitBoundsOptions: { padding: 10 }, hash: !embed && !municipality, attributionControl: { compact: true },
    maxBounds: [[-5, 25], [25, 45]],
  });
  window.mokhattat = { map: map, lang: lang, municipality: municipality, embed: embed };
  state.map = map;
  ctx.map = map;
  map.addControl(new maplibregl.NavigationControl({ showCompass: !embed }), lang === "ar" ? "top-left" : "top-right");
  if (!embed) map.addControl(new maplibregl.ScaleControl());
  function fail(msg) {
    state.error = msg;
    document.body.setAttribute("data-error", msg);
    if (window.console) console.error("mokhattat map: " + msg);
  }
  map.on("error", function (e) { fail((e && e.error && e.error.message) || String(e)); });

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    state.lang = lang;
    ctx.lang = lang;
    ctx.tr = I.make(lang);
    window.mokhattat.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    ["fr", "ar"].forEach(function (l) { document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === lang)); });
    buildToggles();
    buildLegend();
    renderChips();
    chrome.applyLanguage(ctx);
    if (map.isStyleLoaded()) {
      busy();
      relabel();
      done();
    }
  }

  function relabel() {
    var other = lang === "ar" ? "fr" : "ar";
    var name = ["coalesce", ["get", "name_" + lang], ["get", "name_" + other], ["get", "name_en"]];
    ["governorates-label", "municipalities-label"].forEach(function (id) {
      if (map.getLayer(id)) map.setLayoutProperty(id, "text-field", name);
    });
    if (map.getLayer("facilities-label")) {
      map.setLayoutProperty("facilities-label", "text-field", ["coalesce", ["get", "name_" + lang], ["get", "name"], ["get", "name_" + other]]);
    }
    if (map.getLayer("projects-label")) {
      map.setLayoutProperty("projects-label", "text-field",
        ["coalesce", ["get", "label_" + lang], ["get", "title_" + lang], ["get", "title_" + other], ["get", "title_en"], ["get", "code"]]);
    }
  }

  function layersOf(group) {
    var style = map.getStyle();
    return ((style && style.layers) || []).filter(function (l) {
      return l.metadata && l.metadata["mokhattat:group"] === group;
    });
  }

  function buildToggles() {
    var box = document.getElementById("toggles");
    box.innerHTML = "";
    GROUPS.forEach(function (g) {
      var layers = [];
      try { layers = layersOf(g); } catch (e) { layers = []; }
      var visible = layers.length === 0 || layers.some(function (l) { return map.getLayoutProperty(l.id, "visibility") !== "none"; });
      var label = document.createElement("label");
      label.innerHTML = '<input type="checkbox" data-group="' + g + '"' + (visible ? " checked" : "") + "> " + esc(t(g));
      label.querySelector("input").addEventListener("change", function (ev) { showGroup(g, ev.target.checked); });
      box.appendChild(label);
    });
  }
  function showGroup(g, on) {
    layersOf(g).forEach(function (l) { map.setLayoutProperty(l.id, "visibility", on ? "visible" : "none"); });
    buildLegend();
  }

  // the legend of the visible groups; its statuses and themes filter the map when clicked
  function buildLegend() {
    var visible = {};
    GROUPS.forEach(function (g) {
      var layers = [];
      try { layers = styleLoaded ? layersOf(g) : []; } catch (e) { layers = []; }
      visible[g] = layers.some(function (l) { return map.getLayoutProperty(l.id, "visibility") !== "none"; });
    });
    var box = document.getElementById("legend");
    box.innerHTML = legend.html(ctx, visible, params);
    box.querySelectorAll("button[data-filter]").forEach(function (b) {
      b.addEventListener("click", function () {
        setFilter(b.getAttribute("data-filter"), b.getAttribute("data-value"), b.getAttribute("aria-pressed") !== "true");
      });
    });
  }

  // the active filters as chips (over the map), each removable
  function renderChips() {
    var box = document.getElementById("chips");
    box.innerHTML = legend.chips(ctx, params);
    box.hidden = !box.innerHTML;
    box.setAttribute("aria-label", t("filters"));
    box.querySelectorAll(".chip .remove").forEach(function (b) {
      b.addEventListener("click", function () {
        var chip = b.parentElement;
        setFilter(chip.getAttribute("data-filter"), chip.getAttribute("data-value"), false);
      });
    });
  }

  function setFilter(key, value, on) {
    params = legend.toggle(params, key, value, on);
    var u = new URL(location.href);
    legend.FILTERS.forEach(function (k) { if (params.get(k)) u.searchParams.set(k, params.get(k)); else u.searchParams.delete(k); });
    history.replaceState(null, "", u.pathname + u.search.replace(/%2C/g, ",") + u.hash);
    busy();
    applyFilters();
    buildLegend();
    renderChips();
    done();
  }

  map.on("click", function (e) {
    var layers = INTERACTIVE.filter(function (id) { return map.getLayer(id); });
    var found = map.queryRenderedFeatures(e.point, { layers: layers });
    if (!found.length) return;
    // a group of projects (dense cells below zoom 11): zoom in on it rather than a popup
    if (found[0].layer.id === "projects-cluster") {
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 11) });
      return;
    }
    // a narrow map (a phone, a small frame): bring the point to the middle so the popup fits
    if (map.getContainer().clientWidth < 560) map.jumpTo({ center: [e.lngLat.lng, map.getCenter().lat] });
    var popup = new maplibregl.Popup({ maxWidth: "min(22rem, calc(100vw - 3rem))" })
      .setLngLat(e.lngLat).setHTML(window.mokhattatPopup(found[0], lang)).addTo(map);
  });
  INTERACTIVE.forEach(function (id) {
    map.on("mouseenter", id, function () { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, function () { map.getCanvas().style.cursor = ""; });
  });

  // the tiles with the active filters (the style's own tile URL when there is none)
  var tilesUrl = null;
  function applyFilters() {
    var qs = legend.query(params);
    var src = map.getSource("mokhattat");
    if (!src || !src.setTiles) return;
    if (!tilesUrl) tilesUrl = (src.tiles || [])[0];
    if (!tilesUrl || (!qs && !state.filtered)) return;
    state.filtered = !!qs;
    src.setTiles([qs ? tilesUrl + (tilesUrl.indexOf("?") >= 0 ? "&" : "?") + qs : tilesUrl]);
  }

  // ?layers=projects,landuse: only those groups (the base stays).
  function applyLayerChoice() {
    var wanted = (params.get("layers") || "").split(",").filter(function (g) { return GROUPS.indexOf(g) >= 0; });
    if (!wanted.length) return;
    GROUPS.forEach(function (g) { showGroup(g, wanted.indexOf(g) >= 0); });
    buildToggles();
  }

  // "ready" means: idle with nothing of ours pending (a municipality to open, a relabel, the basemap).
  var pending = 0;
  function busy() { pending += 1; state.ready = false; document.body.setAttribute("data-ready", "false"); }
  function done() {
    pending = Math.max(0, pending - 1);
    map.once("idle", markReady);
    map.triggerRepaint();
  }

  function openMunicipality(code) {
    fetch("/api/units/municipality/" + encodeURIComponent(code)).then(function (r) {
      if (!r.ok) throw new Error("municipality " + code + ": HTTP " + r.status);
      return r.json();
    }).then(function (u) {
      var b = u.bbox;
      if (b && b.length === 4) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
      ctx.placeName = { fr: u.name_fr || u.name_ar, ar: u.name_ar || u.name_fr };
      chrome.applyLanguage(ctx);
      if (!map.getLayer("municipality-focus")) {
        map.addLayer({
          id: "municipality-focus", type: "line", source: "mokhattat", "source-layer": "municipalities",
          filter: ["==", ["get", "code"], String(code)], paint: { "line-color": "#d84315", "line-width": 3 },
        });
      }
      done();
    }).catch(function (e) { fail(String(e)); done(); });
  }

  busy(); // the load below
  if (municipality) busy();
  var styleLoaded = false;
  map.on("load", function () {
    styleLoaded = true;
    relabel();
    applyFilters();
    applyLayerChoice();
    buildToggles();
    buildLegend();
    chrome.collapseAttribution();
    window.mokhattatBasemap(map, cfg.basemap).catch(function (e) { fail(String(e)); }).then(function () {
      chrome.collapseAttribution();
      done();
    });
    if (municipality) openMunicipality(municipality);
  });
  function markReady() {
    if (pending > 0) return;
    var n = map.queryRenderedFeatures().length;
    state.renderedFeatures = n;
    state.ready = true;
    document.body.setAttribute("data-rendered", String(n));
    document.body.setAttribute("data-ready", "true");
    document.title = "Mokhattat — " + n + " · " + t("title");
  }
  map.on("idle", markReady);

  document.querySelectorAll("#bar button[data-lang]").forEach(function (b) {
    b.addEventListener("click", function () {
      lang = b.getAttribute("data-lang");
      var u = new URL(location.href);
      u.searchParams.set("lang", lang);
      history.replaceState(null, "", u.toString());
      applyLanguage();
    });
  });
  chrome.init(ctx);
  applyLanguage();
})();
