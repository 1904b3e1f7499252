// Mokhattat map viewer: MapLibre GL JS (vendored), the planning style, layer toggles, feature
// details on click, French/Arabic with right-to-left text, URL parameters (?lang=ar,
// ?municipality=1111, ?embed=1, ?status=…&theme=…), and a state object tests can read:
// window.__mokhattat = { ready, renderedFeatures, lang, error }.
(function () {
  "use strict";
  var cfg = window.__mokhattatConfig || {};
  var params = new URLSearchParams(location.search);
  var lang = cfg.lang === "ar" ? "ar" : "fr";
  var state = (window.__mokhattat = { ready: false, renderedFeatures: 0, lang: lang, error: null, map: null });

  var T = {
    fr: {
      title: "Aménagement du territoire — Tunisie", layers: "Couches", legend: "Statut des projets",
      hint: "Cliquez sur un objet pour ses détails.", municipalities: "Communes", governorates: "Gouvernorats",
      delegations: "Délégations", landuse: "Occupation du sol", projects: "Projets", facilities: "Équipements",
      code: "Code", name: "Nom", status: "Statut", theme: "Thème", budget: "Budget (TND)", progress: "Avancement",
      precision: "Précision", place: "Lieu", class: "Classe", zone: "Zone", kind: "Type", area: "Superficie (km²)",
      years: "Période", project: "Projet",
    },
    ar: {
      title: "التهيئة الترابية — تونس", layers: "الطبقات", legend: "حالة المشاريع",
      hint: "انقر على عنصر لعرض تفاصيله.", municipalities: "البلديات", governorates: "الولايات",
      delegations: "المعتمديات", landuse: "استعمال الأراضي", projects: "المشاريع", facilities: "المرافق",
      code: "الرمز", name: "الاسم", status: "الحالة", theme: "المحور", budget: "الميزانية (د.ت)", progress: "نسبة الإنجاز",
      precision: "دقة الموقع", place: "المكان", class: "الصنف", zone: "المنطقة", kind: "النوع", area: "المساحة (كم²)",
      years: "الفترة", project: "مشروع",
    },
  };
  var STATUS = {
    identified: ["Identifié", "محدد", "#9e9e9e"], planned: ["Programmé", "مبرمج", "#64b5f6"],
    approved: ["Approuvé", "مصادق عليه", "#1e88e5"], financed: ["Financé", "ممول", "#3949ab"],
    in_procurement: ["En passation", "في طور الصفقات", "#8e24aa"], works_under_way: ["Travaux en cours", "أشغال جارية", "#fb8c00"],
    suspended: ["Suspendu", "معلق", "#e53935"], completed: ["Achevé", "منجز", "#43a047"], cancelled: ["Annulé", "ملغى", "#616161"],
  };
  var THEME = {
    water: ["Eau", "الماء"], agriculture: ["Agriculture", "الفلاحة"], environment: ["Environnement", "البيئة"],
    energy: ["Énergie", "الطاقة"], transport: ["Transport", "النقل"], education: ["Éducation", "التعليم"],
    health: ["Santé", "الصحة"], urban_development: ["Développement urbain", "التنمية العمرانية"],
    industry_trade: ["Industrie et commerce", "الصناعة والتجارة"], finance: ["Finance", "المالية"],
    digital: ["Numérique", "الرقمنة"], governance: ["Gouvernance", "الحوكمة"], social_protection: ["Protection sociale", "الحماية الاجتماعية"],
  };
  var PRECISION = {
    exact: ["exacte", "دقيقة"], approximate: ["approximative", "تقريبية"], municipality: ["commune", "البلدية"],
    delegation: ["délégation", "المعتمدية"], governorate: ["gouvernorat", "الولاية"],
  };
  var GROUPS = ["municipalities", "governorates", "delegations", "landuse", "projects", "facilities"];
  var INTERACTIVE = ["projects-point", "projects-line", "projects-area", "facilities-icon", "landuse-fill", "municipalities-fill"];

  function t(key) { return T[lang][key] || key; }
  function pick(pair) { return pair ? pair[lang === "ar" ? 1 : 0] : null; }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  var embed = params.get("embed") === "1";
  var styleUrl = function () { return "/styles/planning.json?lang=" + lang; };
  var start = { center: [9.7, 34.0], zoom: 5.4 };
  if (params.get("lon") && params.get("lat")) start.center = [parseFloat(params.get("lon")), parseFloat(params.get("lat"))];
  if (params.get("z")) start.zoom = parseFloat(params.get("z"));

  if (maplibregl.getRTLTextPluginStatus && maplibregl.getRTLTextPluginStatus() === "unavailable") {
    maplibregl.setRTLTextPlugin("/map/assets/mapbox-gl-rtl-text.js", false).catch(function (e) { fail(String(e)); });
  }

  var map = new maplibregl.Map({
    container: "map", style: styleUrl(), center: start.center, zoom: start.zoom,
    hash: !embed && !params.get("municipality"), attributionControl: { compact: embed },
    maxBounds: [[-5, 25], [25, 45]],
  });
  state.map = map;
  map.addControl(new maplibregl.NavigationControl(), lang === "ar" ? "top-left" : "top-right");
  map.addControl(new maplibregl.ScaleControl());
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
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    ["fr", "ar"].forEach(function (l) { document.getElementById("lang-" + l).setAttribute("aria-pressed", String(l === lang)); });
    buildToggles();
    buildLegend();
    if (map.isStyleLoaded()) {
      busy();
      relabel();
      done();
    }
  }

  function relabel() {
    var other = lang === "ar" ? "fr" : "ar";
    var name = ["coalesce", ["get", "name_" + lang], ["get", "name_" + other]];
    ["governorates-label", "municipalities-label"].forEach(function (id) {
      if (map.getLayer(id)) map.setLayoutProperty(id, "text-field", name);
    });
    if (map.getLayer("projects-label")) {
      map.setLayoutProperty("projects-label", "text-field",
        ["coalesce", ["get", "title_" + lang], ["get", "title_" + other], ["get", "title_en"], ["get", "code"]]);
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
      label.querySelector("input").addEventListener("change", function (ev) {
        layersOf(g).forEach(function (l) { map.setLayoutProperty(l.id, "visibility", ev.target.checked ? "visible" : "none"); });
      });
      box.appendChild(label);
    });
  }

  function buildLegend() {
    var box = document.getElementById("legend");
    box.innerHTML = Object.keys(STATUS).map(function (k) {
      return '<div class="item"><span class="sw" style="background:' + STATUS[k][2] + '"></span>' + esc(pick(STATUS[k])) + "</div>";
    }).join("");
  }

  function row(label, value) {
    return value === undefined || value === null || value === "" ? "" : "<tr><th>" + esc(label) + "</th><td>" + esc(value) + "</td></tr>";
  }

  function details(f) {
    var p = f.properties, src = f.sourceLayer, other = lang === "ar" ? "fr" : "ar", h, rows = "";
    var fmt = new Intl.NumberFormat(lang === "ar" ? "ar-TN" : "fr-TN", { maximumFractionDigits: 0 });
    if (src === "projects") {
      h = p["title_" + lang] || p["title_" + other] || p.title_en || p.code;
      rows = row(t("code"), p.code) + row(t("status"), pick(STATUS[p.status]) || p.status) +
        row(t("theme"), pick(THEME[p.theme]) || p.theme) + row(t("budget"), p.budget_tnd != null ? fmt.format(p.budget_tnd) : null) +
        row(t("progress"), p.progress != null ? p.progress + " %" : null) + row(t("precision"), pick(PRECISION[p.precision]) || p.precision) +
        row(t("place"), p.place_name) + row(t("years"), p.start_year ? p.start_year + "–" + (p.end_year || "") : null);
    } else if (src === "facilities") {
      h = p["name_" + lang] || p.name || t("facilities");
      rows = row(t("kind"), p.kind) + row(t("class"), p.subtype);
    } else if (src === "landuse") {
      h = p["class_" + lang] || p.class;
      rows = row(t("zone"), p.zone_code) + row(t("class"), p.class) + row(t("code"), p.municipality_code);
    } else {
      h = p["name_" + lang] || p["name_" + other];
      rows = row(t("code"), p.code) + row(t("area"), p.area_km2);
    }
    return '<div class="popup" dir="' + (lang === "ar" ? "rtl" : "ltr") + '"><h3>' + esc(h || "") + "</h3><table>" + rows + "</table></div>";
  }

  map.on("click", function (e) {
    var layers = INTERACTIVE.filter(function (id) { return map.getLayer(id); });
    var found = map.queryRenderedFeatures(e.point, { layers: layers });
    if (!found.length) return;
    new maplibregl.Popup({ maxWidth: "22rem" }).setLngLat(e.lngLat).setHTML(details(found[0])).addTo(map);
  });
  INTERACTIVE.forEach(function (id) {
    map.on("mouseenter", id, function () { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, function () { map.getCanvas().style.cursor = ""; });
  });

  function applyFilters() {
    var q = new URLSearchParams();
    ["status", "theme", "municipality", "funder", "year", "filter"].forEach(function (k) {
      if (params.get(k) && !(k === "municipality")) q.set(k, params.get(k));
    });
    var qs = q.toString();
    if (!qs) return;
    var src = map.getSource("mokhattat");
    if (src && src.setTiles) {
      src.setTiles([location.origin + "/tiles/governorates,municipalities,landuse,projects,facilities/{z}/{x}/{y}.pbf?" + qs]);
    }
  }

  // "ready" means: idle with nothing of ours pending (a municipality to open, a relabel).
  var pending = 0;
  function busy() { pending += 1; state.ready = false; document.body.setAttribute("data-ready", "false"); }
  function done() {
    pending = Math.max(0, pending - 1);
    map.once("idle", markReady);
    map.triggerRepaint();
  }

  function openMunicipality(code) {
    busy();
    fetch("/api/units/municipality/" + encodeURIComponent(code)).then(function (r) {
      if (!r.ok) throw new Error("municipality " + code + ": HTTP " + r.status);
      return r.json();
    }).then(function (u) {
      var b = u.bbox;
      if (b && b.length === 4) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
      if (!map.getLayer("municipality-focus")) {
        map.addLayer({
          id: "municipality-focus", type: "line", source: "mokhattat", "source-layer": "municipalities",
          filter: ["==", ["get", "code"], String(code)], paint: { "line-color": "#d84315", "line-width": 3 },
        });
      }
      done();
    }).catch(function (e) { fail(String(e)); done(); });
  }

  if (params.get("municipality")) busy();
  map.on("load", function () {
    relabel();
    applyFilters();
    buildToggles();
    if (params.get("municipality")) {
      pending -= 1;
      openMunicipality(params.get("municipality"));
    }
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
  applyLanguage();
})();
