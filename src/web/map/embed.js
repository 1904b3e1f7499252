// Mokhattat map viewer: the page around the map — the embedded variant (compact bar with the
// commune's name, language switch and "open the full map" link; a compact legend on the map;
// attribution collapsed), the phone panel that opens and closes, and the "embed this map"
// snippet generator of the full map. Exposes window.mokhattatChrome.
(function () {
  "use strict";
  var I = window.mokhattatI18n;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function el(id) { return document.getElementById(id); }

  function legendItems(tr) {
    return Object.keys(I.STATUS).map(function (k) {
      return '<span class="item"><span class="sw" style="background:' + I.STATUS[k][2] + '"></span>' + esc(tr.pick(I.STATUS, k)) + "</span>";
    }).join("");
  }

  function fullMapHref(ctx) {
    var u = new URL(location.href);
    u.searchParams.delete("embed");
    u.searchParams.set("lang", ctx.lang);
    return u.pathname + u.search;
  }

  function snippet(ctx) {
    var q = new URLSearchParams();
    q.set("embed", "1");
    var code = el("embed-municipality").value.trim();
    if (code) q.set("municipality", code);
    q.set("lang", el("embed-lang").value);
    var layers = Array.prototype.filter.call(document.querySelectorAll("#embed-layers input"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    if (layers.length) q.set("layers", layers.join(","));
    var h = Math.max(240, parseInt(el("embed-height").value, 10) || 400);
    var src = location.origin + "/map?" + q.toString().replace(/%2C/g, ",");
    return '<iframe src="' + esc(src) + '" width="100%" height="' + h + '" style="border:0" loading="lazy" title="' +
      esc(I.make(q.get("lang")).t("title")) + '" allowfullscreen></iframe>';
  }

  function buildEmbedBox(ctx) {
    var box = el("embed-form");
    if (!box) return;
    var tr = ctx.tr, groups = ctx.groups;
    box.innerHTML = '<p class="hint">' + esc(tr.t("embed_intro")) + "</p>" +
      '<label>' + esc(tr.t("municipality")) + ' <input id="embed-municipality" inputmode="numeric" size="6" value="' + esc(ctx.municipality || "") + '"></label>' +
      '<label>' + esc(tr.t("language")) + ' <select id="embed-lang"><option value="fr">Français</option><option value="ar">العربية</option></select></label>' +
      '<label>' + esc(tr.t("height")) + ' <input id="embed-height" type="number" min="240" step="20" value="400"></label>' +
      '<fieldset id="embed-layers"><legend>' + esc(tr.t("layers")) + "</legend>" + groups.map(function (g) {
        return '<label><input type="checkbox" value="' + g + '"' + (g === "delegations" ? "" : " checked") + "> " + esc(tr.t(g)) + "</label>";
      }).join("") + "</fieldset>" +
      '<textarea id="embed-code" readonly rows="4" dir="ltr"></textarea>' +
      '<button id="embed-copy" type="button">' + esc(tr.t("copy")) + "</button>";
    el("embed-lang").value = ctx.lang;
    var update = function () { el("embed-code").value = snippet(ctx); };
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    el("embed-copy").addEventListener("click", function () {
      var area = el("embed-code");
      var ok = function () { el("embed-copy").textContent = tr.t("copied"); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(area.value).then(ok, function () { area.select(); });
      else { area.select(); try { document.execCommand("copy"); ok(); } catch (e) { /* selected for the user */ } }
    });
    update();
  }

  function applyLanguage(ctx) {
    var tr = ctx.tr;
    var mini = el("mini-legend");
    if (mini) {
      mini.querySelector("summary").innerHTML = esc(tr.t("legend")) + ' <span class="dots">' + Object.keys(I.STATUS).map(function (k) {
        return '<span class="sw" style="background:' + I.STATUS[k][2] + '"></span>';
      }).join("") + "</span>";
      mini.querySelector(".items").innerHTML = legendItems(tr);
    }
    var full = el("full-map");
    if (full) full.href = fullMapHref(ctx);
    var toggle = el("panel-toggle");
    if (toggle) toggle.setAttribute("aria-label", tr.t("panel"));
    buildEmbedBox(ctx);
    if (ctx.placeName) el("place").textContent = ctx.placeName[ctx.lang] || ctx.placeName.fr || "";
  }

  function init(ctx) {
    var toggle = el("panel-toggle"), panel = el("panel");
    toggle.addEventListener("click", function () {
      var open = !document.body.classList.contains("panel-open");
      document.body.classList.toggle("panel-open", open);
      toggle.setAttribute("aria-expanded", String(open)); // the panel lies over the map: no resize
      ctx.map.triggerRepaint();
    });
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape" && document.body.classList.contains("panel-open")) toggle.click(); });
    if (ctx.embed) {
      el("full-map").hidden = false;
      var mini = el("mini-legend");
      mini.hidden = false;
      if (window.innerHeight >= 420) mini.open = true;
    }
  }

  // Compact attribution starts collapsed (MapLibre opens it until the first interaction).
  function collapseAttribution() {
    document.querySelectorAll(".maplibregl-ctrl-attrib.maplibregl-compact").forEach(function (a) {
      a.classList.remove("maplibregl-compact-show");
      a.removeAttribute("open");
    });
  }

  window.mokhattatChrome = { init: init, applyLanguage: applyLanguage, collapseAttribution: collapseAttribution };
})();
