// Mokhattat map viewer: the legend of every visible layer (project status and theme, land-use
// classes, facilities, boundaries) and the active filters as chips that remove one by one.
// Project statuses and themes in the legend are buttons: a click filters the map by that value.
// Exposes window.mokhattatLegend; loaded after i18n.js, before viewer.js.
(function () {
  "use strict";
  var I = window.mokhattatI18n;
  // boundary lines: colour, dashed (the colours of styles/planning.json)
  var BOUNDARY = { governorates: ["#5b3f8c", false], municipalities: ["#6b6b6b", false], delegations: ["#2a7f62", true] };
  // the URL parameters a person can filter the map by; status and theme take lists
  var FILTERS = ["status", "theme", "funder", "year", "filter"];
  var LISTS = { status: I.STATUS, theme: I.THEME };

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function values(params, key) {
    return (params.get(key) || "").split(",").map(function (v) { return v.trim(); }).filter(Boolean);
  }

  function section(group, title, items) {
    return '<section class="lg" data-legend="' + group + '"><h3>' + esc(title) + "</h3>" + items.join("") + "</section>";
  }
  function item(swatch, label, filter, value, active) {
    if (!filter) return '<div class="item">' + swatch + "<span>" + esc(label) + "</span></div>";
    return '<button type="button" class="item" data-filter="' + filter + '" data-value="' + esc(value) + '" aria-pressed="' +
      String(active) + '">' + swatch + "<span>" + esc(label) + "</span></button>";
  }

  // The legend of the groups in `visible` (group → bool), in the viewer's language.
  function html(ctx, visible, params) {
    var tr = ctx.tr, out = [];
    var on = function (key, code) { return values(params, key).indexOf(code) >= 0; };
    if (visible.projects) {
      out.push(section("status", tr.t("legend_status"), Object.keys(I.STATUS).map(function (k) {
        return item('<span class="sw" style="background:' + I.STATUS[k][2] + '"></span>', tr.pick(I.STATUS, k), "status", k, on("status", k));
      }).concat([item('<span class="sw group">n</span>', tr.t("legend_group"))])));
      out.push(section("theme", tr.t("legend_theme"), Object.keys(I.THEME).map(function (k) {
        return item('<span class="sw ring" style="border-color:' + I.THEME[k][2] + '"></span>', tr.pick(I.THEME, k), "theme", k, on("theme", k));
      })));
    }
    if (visible.landuse) {
      out.push(section("landuse", tr.t("landuse"), Object.keys(I.LANDUSE).map(function (k) {
        return item('<span class="sw box" style="background:' + I.LANDUSE[k][2] + '"></span>', tr.pick(I.LANDUSE, k));
      })));
    }
    if (visible.facilities) {
      out.push(section("facilities", tr.t("facilities"), Object.keys(I.FACILITY).map(function (k) {
        return item('<span class="sw square" style="background:' + I.FACILITY[k][2] + '"></span>', tr.pick(I.FACILITY, k));
      })));
    }
    var lines = Object.keys(BOUNDARY).filter(function (g) { return visible[g]; });
    if (lines.length) {
      out.push(section("boundaries", tr.t("boundaries"), lines.map(function (g) {
        var b = BOUNDARY[g];
        return item('<span class="sw line" style="border-top:3px ' + (b[1] ? "dashed " : "solid ") + b[0] + '"></span>', tr.t(g));
      })));
    }
    return out.join("");
  }

  // The chips of the active filters: one per listed value, one per other parameter.
  function chips(ctx, params) {
    var tr = ctx.tr, out = [];
    FILTERS.forEach(function (key) {
      var vs = LISTS[key] ? values(params, key) : (params.get(key) ? [params.get(key)] : []);
      vs.forEach(function (v) {
        var label = (LISTS[key] && tr.pick(LISTS[key], v)) || v;
        out.push('<span class="chip" data-filter="' + key + '" data-value="' + esc(v) + '">' + esc(tr.t(key)) + " : " + esc(label) +
          ' <button type="button" class="remove" aria-label="' + esc(tr.t("remove_filter") + " " + label) + '">×</button></span>');
      });
    });
    return out.join("");
  }

  // `params` with `value` of `key` added (`on`) or taken away; a parameter left empty is removed.
  function toggle(params, key, value, on) {
    var q = new URLSearchParams(params.toString());
    var vs = LISTS[key] ? values(q, key).filter(function (v) { return v !== value; }) : [];
    if (on) vs.push(value);
    if (vs.length) q.set(key, vs.join(","));
    else q.delete(key);
    return q;
  }

  // The filter part of a tile URL's query string.
  function query(params) {
    var q = new URLSearchParams();
    FILTERS.forEach(function (k) { if (params.get(k)) q.set(k, params.get(k)); });
    return q.toString().replace(/%2C/g, ",");
  }

  window.mokhattatLegend = { html: html, chips: chips, toggle: toggle, query: query, FILTERS: FILTERS };
})();
