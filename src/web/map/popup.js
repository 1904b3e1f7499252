// Mokhattat map viewer: the popup of a clicked feature — human labels in the chosen language
// (names, not codes), and links onward: a project to /projects/{code}, a unit to
// /units/{level}/{code} and its diagnosis sheet. Exposes window.mokhattatPopup(feature, lang).
(function () {
  "use strict";
  var I = window.mokhattatI18n;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function row(label, value) {
    return value === undefined || value === null || value === "" ? "" : "<tr><th>" + esc(label) + "</th><td>" + esc(value) + "</td></tr>";
  }
  function link(href, text, cls) {
    var framed = window.mokhattat && window.mokhattat.embed;
    return '<a class="' + cls + '" href="' + esc(href) + '"' + (framed ? ' target="_blank" rel="noopener"' : "") + ">" + esc(text) + "</a>";
  }
  // The first non-empty value: the chosen language, the other one, English, then a fallback.
  function first() {
    for (var i = 0; i < arguments.length; i++) {
      var v = arguments[i];
      if (v !== undefined && v !== null && String(v).trim() !== "") return String(v);
    }
    return "";
  }

  function project(p, tr, lang, other, fmt) {
    var h = first(p["title_" + lang], p["title_" + other], p.title_en, p.code);
    var rows = row(tr.t("status"), tr.pick(I.STATUS, p.status) || p.status) +
      row(tr.t("theme"), tr.pick(I.THEME, p.theme) || p.theme) +
      row(tr.t("budget"), p.budget_tnd != null ? fmt.format(p.budget_tnd) : null) +
      row(tr.t("progress"), p.progress != null ? p.progress + " %" : null) +
      row(tr.t("precision"), tr.pick(I.PRECISION, p.precision) || p.precision) +
      row(tr.t("place"), p.place_name) +
      row(tr.t("years"), p.start_year ? "\u2066" + p.start_year + "–" + (p.end_year || "") + "\u2069" : null) + row(tr.t("code"), p.code);
    var links = p.code ? link("/projects/" + encodeURIComponent(p.code) + "?lang=" + lang, tr.t("open_project"), "go") : "";
    return [h, rows, links];
  }

  function unit(level, p, tr, lang, other) {
    var h = first(p["name_" + lang], p["name_" + other], p.name_en, p.code);
    var rows = row(tr.t(level + "_level"), h) + row(tr.t("area"), p.area_km2) + row(tr.t("code"), p.code);
    var base = "/units/" + level + "/" + encodeURIComponent(p.code);
    var links = p.code ? link(base + "?lang=" + lang, tr.t("open_unit"), "go") + " " +
      link("/api/units/" + level + "/" + encodeURIComponent(p.code) + "/diagnosis?f=html&lang=" + lang, tr.t("open_sheet"), "go sheet") : "";
    return [h, rows, links];
  }

  window.mokhattatPopup = function (f, lang) {
    var p = f.properties, src = f.sourceLayer, other = lang === "ar" ? "fr" : "ar", tr = I.make(lang), parts;
    var fmt = new Intl.NumberFormat(lang === "ar" ? "ar-TN" : "fr-TN", { maximumFractionDigits: 0 });
    if (src === "projects") {
      parts = project(p, tr, lang, other, fmt);
    } else if (src === "facilities") {
      var kind = tr.pick(I.FACILITY, p.kind) || p.kind;
      parts = [first(p["name_" + lang], p.name, p["name_" + other], kind), row(tr.t("kind"), kind) + row(tr.t("class"), p.subtype), ""];
    } else if (src === "landuse") {
      var cls = first(p["class_" + lang], tr.pick(I.LANDUSE, p.class), p["class_" + other], p.class);
      parts = [cls, row(tr.t("zone"), first(p["label_" + lang], p["label_" + other], p.zone_code)) +
        row(tr.t("class"), cls) + row(tr.t("code"), p.zone_code), ""];
    } else {
      var level = src === "governorates" ? "governorate" : src === "delegations" ? "delegation" : "municipality";
      parts = unit(level, p, tr, lang, other);
    }
    return '<div class="popup" dir="' + (lang === "ar" ? "rtl" : "ltr") + '" lang="' + lang + '"><h3>' + esc(parts[0]) +
      "</h3><table>" + parts[1] + "</table>" + (parts[2] ? '<p class="links">' + parts[2] + "</p>" : "") + "</div>";
  };
})();
