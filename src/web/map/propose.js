// Citizens' proposals on the map (issue 11, docs/participation.md): a "Propose / اقترح" flow
// (drop a draggable pin or draw a small area, a short bilingual form, submit to /api/participation/proposals), the
// public proposals drawn with their state, and a panel per proposal (text, state, published
// answer, supports, threaded comments). Text only: every user string goes through textContent.
// Reads what viewer.js exposes in window.__mokhattat ({ map, lang }); the language follows
// <html lang>. Test hooks: window.__mokhattatPropose = { loaded, lastSubmit, panel }.
(function () {
  "use strict";
  var mk = window.__mokhattat;
  if (!mk || !mk.map) return;
  var map = mk.map;
  var params = new URLSearchParams(location.search);
  var municipality = params.get("municipality");
  var API = "/api/participation";
  // Where proposals come from. To use the server's `proposals` tile source instead, set
  // The `proposals` tile source (its layer is named `proposals`; clusters below zoom 11).
  var TILES = "/tiles/proposals/{z}/{x}/{y}.pbf";
  var hook = (window.__mokhattatPropose = { loaded: 0, lastSubmit: null, panel: null });

  // every text of the flow: key → [French, Arabic]
  var T = {
    propose: ["Proposer", "اقترح"],
    place: ["Touchez la carte là où porte votre proposition, puis déplacez l'épingle si besoin.", "انقر على الخريطة في مكان مقترحك، ثم حرّك الدبوس إذا لزم الأمر."],
    centre: ["Utiliser le centre de la carte", "استعمل وسط الخريطة"], cancel: ["Annuler", "إلغاء"],
    form: ["Votre proposition", "مقترحك"], theme: ["Thème", "المحور"], title: ["Titre", "العنوان"],
    body: ["Votre proposition en quelques lignes", "مقترحك في بضعة أسطر"],
    private: ["Privé — jamais publié", "خاص — لا يُنشر أبدًا"],
    privateHint: ["Facultatif : seule la commune peut vous recontacter. Ni votre nom ni votre contact ne seront affichés.", "اختياري: للبلدية فقط كي تتصل بك. لن يُعرض اسمك ولا وسيلة الاتصال بك."],
    name: ["Nom", "الاسم"], contact: ["Téléphone ou e-mail", "الهاتف أو البريد الإلكتروني"], submit: ["Envoyer", "أرسل"],
    sending: ["Envoi…", "جارٍ الإرسال…"], where: ["Lieu", "المكان"],
    thanks: ["Merci : votre proposition n° {id} est publiée.", "شكرًا: نُشر مقترحك رقم {id}."],
    keep: ["Gardez ce lien pour modifier ou retirer votre proposition :", "احتفظ بهذا الرابط لتعديل مقترحك أو سحبه:"],
    error: ["La proposition n'a pas été envoyée.", "لم يُرسل المقترح."],
    tooMany: ["Trop d'envois : réessayez dans {s} s.", "محاولات كثيرة: أعد المحاولة بعد {s} ثانية."], close: ["Fermer", "إغلاق"],
    state: ["État", "الحالة"], supports: ["Soutiens", "المساندات"], support: ["Je soutiens", "أساند"],
    supported: ["Vous soutenez cette proposition", "أنت تساند هذا المقترح"], answer: ["Réponse de la commune", "ردّ البلدية"],
    comments: ["Commentaires", "التعليقات"], noComments: ["Aucun commentaire pour l'instant.", "لا توجد تعليقات بعد."],
    comment: ["Ajouter un commentaire", "أضف تعليقًا"], reply: ["Répondre", "ردّ"],
    replyTo: ["Réponse au commentaire", "ردّ على التعليق"], send: ["Publier", "انشر"],
    withdraw: ["Retirer ma proposition", "اسحب مقترحي"], withdrawn: ["Proposition retirée.", "سُحب المقترح."],
    proposals: ["Propositions citoyennes", "مقترحات المواطنين"],
    drag: ["Épingle de la proposition : flèches pour la déplacer", "دبوس المقترح: استعمل الأسهم لتحريكه"],
    pinHelp: ["Faites glisser l'épingle ou utilisez les flèches du clavier.", "اسحب الدبوس أو استعمل أسهم لوحة المفاتيح."],
    unknownError: ["Erreur inattendue", "خطأ غير متوقع"], failed: ["Échec", "فشل"], drawArea: ["Dessiner une zone", "ارسم منطقة"],
    drawHint: ["Touchez la carte à chaque coin de la zone (3 au moins).", "انقر على الخريطة عند كل زاوية من المنطقة (3 على الأقل)."],
    finish: ["Terminer la zone ({n} points)", "أنهِ المنطقة ({n} نقاط)"], undo: ["Annuler le dernier point", "احذف آخر نقطة"],
    areaWhere: ["Zone de {n} points", "منطقة من {n} نقاط"],
  };
  var STATES = {
    published: ["Publiée", "منشور", "#1e88e5"], evaluating: ["En évaluation", "قيد الدراسة", "#fb8c00"],
    accepted: ["Acceptée", "مقبول", "#43a047"], rejected: ["Rejetée", "مرفوض", "#e53935"],
    withdrawn: ["Retirée", "مسحوب", "#9e9e9e"], merged: ["Fusionnée", "مدمج", "#8e24aa"],
  };
  var THEMES = {
    roads: ["Voirie", "الطرقات"], lighting: ["Éclairage public", "الإنارة العمومية"],
    water_sanitation: ["Eau et assainissement", "الماء والتطهير"], waste: ["Déchets", "النفايات"],
    green_spaces: ["Espaces verts", "المساحات الخضراء"], sports_culture: ["Sport et culture", "الرياضة والثقافة"],
    education: ["Éducation", "التعليم"], health: ["Santé", "الصحة"],
    markets_economy: ["Marchés et économie", "الأسواق والاقتصاد"], mobility: ["Mobilité", "التنقل"], other: ["Autre", "أخرى"],
  };

  function lang() { return document.documentElement.lang === "ar" ? "ar" : "fr"; }
  function t(k, vars) {
    var s = pick(T[k]) || k;
    Object.keys(vars || {}).forEach(function (v) { s = s.replace("{" + v + "}", vars[v]); });
    return s;
  }
  function pick(pair) { return pair ? pair[lang() === "ar" ? 1 : 0] : ""; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function store(k, v) { try { if (v === undefined) return localStorage.getItem(k); localStorage.setItem(k, v); } catch (e) { return null; } }

  // An edit link (…#edit=ID.TOKEN) is read before the map's own hash handling rewrites it.
  (function () {
    var m = /^#edit=(\d+)\.([A-Za-z0-9_-]{16,128})$/.exec(location.hash);
    if (!m) return;
    store("mk_edit_" + m[1], m[2]);
    if (!params.get("proposal")) params.set("proposal", m[1]);
    history.replaceState(null, "", location.pathname + location.search);
  })();

  // The API's message in the chosen language: "english / عربي" messages are split; a generic
  // bilingual sentence comes first.
  function apiError(r, body) {
    var d = (body && body.description) || t("unknownError") + " (HTTP " + r.status + ")";
    var i = d.lastIndexOf(" / ");
    if (i > 0 && /[\u0600-\u06FF]/.test(d.slice(i))) d = lang() === "ar" ? d.slice(i + 3) : d.slice(0, i);
    if (r.status === 429) return t("tooMany", { s: r.headers.get("retry-after") || "60" });
    return d;
  }
  function call(method, path, body, headers) {
    var h = { accept: "application/json" };
    if (body !== undefined) h["content-type"] = "application/json";
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    return fetch(API + path, { method: method, headers: h, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return null; }).then(function (j) {
          return r.ok ? j : Promise.reject(new Error(apiError(r, j)));
        });
      });
  }

  // ---- the controls: the Propose button, the placing hint, the form sheet, the panel ----
  var ui = el("div", { id: "propose-ui" });
  var button = el("button", { id: "propose-btn", type: "button", "aria-pressed": "false" });
  var hint = el("div", { id: "propose-hint", role: "status", hidden: "" });
  var sheet = el("section", { id: "propose-sheet", class: "mk-sheet", role: "dialog", "aria-modal": "false", "aria-labelledby": "propose-heading", hidden: "" });
  var panel = el("section", { id: "proposal-panel", class: "mk-sheet", role: "dialog", "aria-modal": "false", "aria-labelledby": "proposal-title", hidden: "" });
  ui.appendChild(button);
  ui.appendChild(hint);
  document.body.appendChild(ui);
  document.body.appendChild(sheet);
  document.body.appendChild(panel);

  // placing: waiting for the map; pin: the point; area: the corners of a drawn area (or null)
  var placing = false, pin = null, area = null;
  function setPlacing(on) {
    placing = on;
    button.setAttribute("aria-pressed", String(on));
    document.body.classList.toggle("mk-placing", on);
    hint.hidden = !on;
    renderHint();
  }
  function renderHint() {
    hint.textContent = "";
    if (!placing) return;
    if (area) {
      hint.appendChild(el("p", {}, t("drawHint")));
      var f = el("button", { type: "button", id: "propose-finish" }, t("finish", { n: area.length }));
      f.disabled = area.length < 3;
      f.addEventListener("click", function () { setPlacing(false); openForm(); });
      var u = el("button", { type: "button", id: "propose-undo" }, t("undo"));
      u.disabled = !area.length;
      u.addEventListener("click", function () { area.pop(); drawDraft(); renderHint(); });
      var c2 = el("button", { type: "button" }, t("cancel"));
      c2.addEventListener("click", cancel);
      [f, u, c2].forEach(function (b) { hint.appendChild(b); });
      return;
    }
    hint.appendChild(el("p", {}, t("place")));
    var d = el("button", { type: "button", id: "propose-area" }, t("drawArea"));
    d.addEventListener("click", function () { area = []; drawDraft(); renderHint(); });
    var c = el("button", { type: "button", id: "propose-centre" }, t("centre"));
    c.addEventListener("click", function () { dropPin(map.getCenter()); });
    var x = el("button", { type: "button" }, t("cancel"));
    x.addEventListener("click", cancel);
    hint.appendChild(c);
    hint.appendChild(d);
    hint.appendChild(x);
  }
  function ring() { return area.concat([area[0]]); }
  function drawDraft() {
    var fs = [];
    if (area && area.length >= 3) fs.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [ring()] } });
    else if (area && area.length === 2) fs.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: area } });
    (area || []).forEach(function (c) { fs.push({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: c } }); });
    var data = { type: "FeatureCollection", features: fs };
    if (map.getSource("mk-draft")) return map.getSource("mk-draft").setData(data);
    if (!fs.length) return;
    map.addSource("mk-draft", { type: "geojson", data: data });
    map.addLayer({ id: "mk-draft-fill", type: "fill", source: "mk-draft", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#d84315", "fill-opacity": 0.25 } });
    map.addLayer({ id: "mk-draft-line", type: "line", source: "mk-draft", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#d84315", "line-width": 2.5 } });
    map.addLayer({ id: "mk-draft-corner", type: "circle", source: "mk-draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#d84315", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  }
  button.addEventListener("click", function () {
    if (placing || !sheet.hidden) return cancel();
    area = null;
    closePanel();
    setPlacing(true);
    var c = document.getElementById("propose-centre");
    if (c) c.focus();
  });

  function dropPin(lngLat) {
    if (!pin) {
      var dot = el("div", { class: "mk-pin", tabindex: "0", role: "button", "aria-label": t("drag") });
      dot.addEventListener("keydown", function (e) {
        var step = { ArrowUp: [0, -10], ArrowDown: [0, 10], ArrowLeft: [-10, 0], ArrowRight: [10, 0] }[e.key];
        if (!step) return;
        e.preventDefault();
        var p = map.project(pin.getLngLat());
        pin.setLngLat(map.unproject([p.x + step[0], p.y + step[1]]));
        showWhere();
      });
      pin = new maplibregl.Marker({ element: dot, draggable: true, anchor: "bottom" }).setLngLat(lngLat).addTo(map);
      pin.on("dragend", showWhere);
    } else {
      pin.setLngLat(lngLat);
    }
    setPlacing(false);
    openForm();
  }
  map.on("click", function (e) {
    if (placing) {
      document.querySelectorAll(".maplibregl-popup").forEach(function (p) { p.remove(); });
      if (area) {
        area.push([+e.lngLat.lng.toFixed(7), +e.lngLat.lat.toFixed(7)]);
        drawDraft();
        renderHint();
      } else {
        dropPin(e.lngLat);
      }
      return;
    }
    if (!sheet.hidden && document.getElementById("propose-form")) return;
    var layers = ["mk-proposals-point", "mk-proposals-area"].filter(function (id) { return map.getLayer(id); });
    var f = layers.length ? map.queryRenderedFeatures(e.point, { layers: layers }) : [];
    // a tile feature's id is the proposal's; a cluster of several has none
    if (f.length && f[0].id == null) {
      // a cluster: zoom in towards it
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 11) });
      return;
    }
    if (f.length) {
      sheet.hidden = true;
      document.querySelectorAll(".maplibregl-popup").forEach(function (p) { p.remove(); });
      openPanel(Number(f[0].id));
    }
  });
  // Pans the map so that a place under the open sheet shows beside it (or above it on a phone).
  function reveal(lngLat, box) {
    var r = box.getBoundingClientRect(), c = map.getContainer().getBoundingClientRect();
    var p = map.project(lngLat), x = c.left + p.x, y = c.top + p.y, m = 30;
    if (x < r.left - m || x > r.right + m || y < r.top - m || y > r.bottom + m) return;
    var off;
    if (window.matchMedia("(max-width: 600px)").matches) {
      off = [0, -Math.max(0, c.bottom - r.top) / 2];
    } else {
      var w = Math.max(0, Math.min(c.right, r.right) - Math.max(c.left, r.left));
      off = [r.left - c.left > c.right - r.right ? -w / 2 : w / 2, 0];
    }
    map.easeTo({ center: lngLat, offset: off, duration: 300 });
  }
  function cancel() {
    setPlacing(false);
    sheet.hidden = true;
    if (pin) { pin.remove(); pin = null; }
    area = null;
    drawDraft();
    button.focus();
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (!panel.hidden) closePanel();
    else if (placing || !sheet.hidden) cancel();
  });

  function field(form, id, label, input) {
    var wrap = el("div", { class: "mk-field" });
    input.id = id;
    wrap.appendChild(el("label", { for: id }, label));
    wrap.appendChild(input);
    form.appendChild(wrap);
    return input;
  }
  function honeypot(form) {
    // Hidden from people (and from the keyboard and screen readers); bots fill it.
    var trap = el("div", { class: "mk-trap", "aria-hidden": "true" });
    trap.appendChild(el("label", { for: form.id + "-website" }, "Website"));
    trap.appendChild(el("input", { id: form.id + "-website", name: "website", type: "text", tabindex: "-1", autocomplete: "off" }));
    form.appendChild(trap);
    return trap.querySelector("input");
  }
  function heading(box, id, text) {
    var head = el("div", { class: "mk-head" });
    head.appendChild(el("h2", { id: id }, text));
    var x = el("button", { type: "button", class: "mk-close", "aria-label": t("close"), title: t("close") }, "×");
    head.appendChild(x);
    box.appendChild(head);
    return x;
  }
  function showWhere() {
    var w = document.getElementById("propose-where");
    if (w && area) w.textContent = t("areaWhere", { n: area.length });
    else if (w && pin) {
      var p = pin.getLngLat();
      w.textContent = t("where") + " : " + p.lat.toFixed(5) + ", " + p.lng.toFixed(5);
    }
  }

  function openForm() {
    sheet.textContent = "";
    sheet.setAttribute("dir", lang() === "ar" ? "rtl" : "ltr");
    heading(sheet, "propose-heading", t("form")).addEventListener("click", cancel);
    var form = el("form", { id: "propose-form", novalidate: "" });
    form.appendChild(el("p", { id: "propose-where", class: "mk-where" }));
    if (!area) form.appendChild(el("p", { class: "mk-small" }, t("pinHelp")));
    var theme = field(form, "propose-theme", t("theme"), el("select", { name: "theme", required: "" }));
    Object.keys(THEMES).forEach(function (k) { theme.appendChild(el("option", { value: k }, pick(THEMES[k]))); });
    var title = field(form, "propose-title", t("title"), el("input", { name: "title", type: "text", required: "", maxlength: "500" }));
    var body = field(form, "propose-body", t("body"), el("textarea", { name: "body", rows: "4", required: "", maxlength: "10000" }));
    var priv = el("fieldset", { class: "mk-private" });
    priv.appendChild(el("legend", {}, "🔒 " + t("private")));
    priv.appendChild(el("p", { class: "mk-small" }, t("privateHint")));
    form.appendChild(priv);
    var name = field(priv, "propose-name", t("name"), el("input", { name: "author_name", type: "text", maxlength: "500", autocomplete: "name" }));
    var contact = field(priv, "propose-contact", t("contact"), el("input", { name: "author_contact", type: "text", maxlength: "500", autocomplete: "email" }));
    var trap = honeypot(form);
    var msg = el("div", { id: "propose-message", role: "alert" });
    var actions = el("div", { class: "mk-actions" });
    var send = el("button", { type: "submit", id: "propose-submit", class: "mk-primary" }, t("submit"));
    var back = el("button", { type: "button" }, t("cancel"));
    back.addEventListener("click", cancel);
    actions.appendChild(send);
    actions.appendChild(back);
    form.appendChild(msg);
    form.appendChild(actions);
    sheet.appendChild(form);
    sheet.hidden = false;
    showWhere();
    title.focus();
    reveal(area ? area[0] : pin.getLngLat(), sheet);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var p = pin && pin.getLngLat();
      var geometry = area ? { type: "Polygon", coordinates: [ring()] } : { type: "Point", coordinates: [+p.lng.toFixed(7), +p.lat.toFixed(7)] };
      var data = { geometry: geometry, theme: theme.value, lang: lang(), title: title.value, body: body.value };
      if (name.value.trim()) data.author_name = name.value;
      if (contact.value.trim()) data.author_contact = contact.value;
      if (trap.value) data.website = trap.value;
      send.disabled = true;
      send.textContent = t("sending");
      msg.className = "";
      msg.textContent = "";
      call("POST", "/proposals", data).then(function (r) {
        hook.lastSubmit = { ok: true, id: r.id };
        if (r.id) submitted(r);
      }).catch(function (err) {
        hook.lastSubmit = { ok: false, error: err.message };
        msg.className = "mk-error";
        msg.appendChild(el("strong", {}, t("error") + " "));
        msg.appendChild(el("span", {}, err.message));
        send.disabled = false;
        send.textContent = t("submit");
      });
    });
  }

  function submitted(r) {
    store("mk_edit_" + r.id, r.edit_token);
    var link = location.origin + "/map?lang=" + lang() + "&proposal=" + r.id + (municipality ? "&municipality=" + encodeURIComponent(municipality) : "") + "#edit=" + r.id + "." + r.edit_token;
    sheet.textContent = "";
    heading(sheet, "propose-heading", t("form")).addEventListener("click", cancel);
    var ok = el("div", { id: "propose-success", class: "mk-success", role: "status" });
    ok.appendChild(el("p", {}, t("thanks", { id: r.id })));
    ok.appendChild(el("p", {}, t("keep")));
    var a = el("a", { href: link, id: "propose-edit-link", dir: "ltr" }, link);
    ok.appendChild(a);
    sheet.appendChild(ok);
    if (pin) { pin.remove(); pin = null; }
    area = null;
    drawDraft();
    a.focus();
    refresh();
  }

  // ---- the proposals on the map: the `proposals` tiles (clusters below zoom 11) ----
  function tilesUrl() {
    return location.origin + TILES + "?" + (municipality ? "municipality=" + encodeURIComponent(municipality) + "&" : "") + "v=" + Date.now();
  }
  function addLayers() {
    if (map.getSource("mk-proposals")) return;
    map.addSource("mk-proposals", { type: "vector", tiles: [tilesUrl()], minzoom: 5, maxzoom: 14 });
    var colour = ["match", ["get", "state"]];
    Object.keys(STATES).forEach(function (k) { colour.push(k, STATES[k][2]); });
    colour.push("#1e88e5");
    // a cluster's size follows how many proposals it stands for, a proposal's its supports
    var size = function (a, b) {
      return ["case", [">", ["coalesce", ["get", "proposals"], 1], 1],
        ["interpolate", ["linear"], ["get", "proposals"], 2, a + 3, 100, b + 8],
        ["interpolate", ["linear"], ["coalesce", ["get", "supports"], 0], 0, a, 50, b]];
    };
    function layer(def) { def.source = "mk-proposals"; def["source-layer"] = "proposals"; map.addLayer(def); }
    layer({ id: "mk-proposals-area", type: "fill", filter: ["!=", ["geometry-type"], "Point"], paint: { "fill-color": colour, "fill-opacity": 0.35, "fill-outline-color": colour } });
    // a dark halo sets proposals apart from the projects' dots
    layer({ id: "mk-proposals-halo", type: "circle", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#2f3e4e", "circle-radius": size(11, 18) } });
    layer({ id: "mk-proposals-point", type: "circle", filter: ["==", ["geometry-type"], "Point"], paint: {
      "circle-color": colour, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2, "circle-radius": size(7, 14) } });
    layer({ id: "mk-proposals-count", type: "symbol", filter: [">", ["coalesce", ["get", "proposals"], 1], 1],
      layout: { "text-field": ["to-string", ["get", "proposals"]], "text-font": ["Noto Sans Bold"], "text-size": 11, "text-allow-overlap": true },
      paint: { "text-color": "#263238" } });
    ["mk-proposals-point", "mk-proposals-area"].forEach(function (id) {
      map.on("mouseenter", id, function () { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", id, function () { map.getCanvas().style.cursor = ""; });
    });
  }
  // How many proposals the loaded tiles hold (a proposal cut by tile edges counted once).
  function publish() {
    if (!map.getSource("mk-proposals")) return;
    var seen = {}, n = 0;
    map.querySourceFeatures("mk-proposals", { sourceLayer: "proposals" }).forEach(function (f) {
      var p = f.properties, k = f.id != null ? "p" + f.id : "c" + JSON.stringify(f.geometry.coordinates) + p.state + p.theme;
      if (!seen[k]) { seen[k] = true; n += Number(p.proposals || 1); }
    });
    hook.loaded = n;
    document.body.setAttribute("data-proposals", String(n));
  }
  function refresh() {
    var s = map.getSource("mk-proposals");
    if (s && s.setTiles) s.setTiles([tilesUrl()]);
  }
  function onLoad() {
    addLayers();
    map.on("idle", publish);
    if (params.get("proposal")) openPanel(Number(params.get("proposal")));
  }
  if (map.loaded()) onLoad(); else map.once("load", onLoad);
  // A style change (language switch reloads nothing today, but a basemap switch may) drops our layers.
  map.on("styledata", function () { if (map.isStyleLoaded() && !map.getSource("mk-proposals")) { addLayers(); publish(); } });

  // ---- the panel of one proposal ----
  var current = null;
  function closePanel() { panel.hidden = true; current = null; hook.panel = null; }
  function openPanel(id) {
    if (!id) return;
    current = id;
    Promise.all([call("GET", "/proposals/" + id), call("GET", "/proposals/" + id + "/comments")]).then(function (r) {
      if (current !== id) return;
      renderPanel(r[0], r[1].comments || []);
    }).catch(function (err) {
      panel.textContent = "";
      heading(panel, "proposal-title", t("proposals")).addEventListener("click", closePanel);
      panel.appendChild(el("p", { class: "mk-error", role: "alert" }, err.message));
      panel.hidden = false;
    });
  }
  function renderPanel(p, comments) {
    var st = STATES[p.state] || [p.state, p.state, "#1e88e5"];
    panel.textContent = "";
    panel.setAttribute("dir", lang() === "ar" ? "rtl" : "ltr");
    var x = heading(panel, "proposal-title", p.title);
    x.addEventListener("click", closePanel);
    var meta = el("p", { class: "mk-meta" });
    var badge = el("span", { class: "mk-state", id: "proposal-state", "data-state": p.state }, pick(st));
    badge.style.background = st[2];
    meta.appendChild(badge);
    meta.appendChild(el("span", {}, " " + pick(THEMES[p.theme])));
    panel.appendChild(meta);
    panel.appendChild(el("p", { class: "mk-body", lang: p.lang, dir: p.lang === "ar" ? "rtl" : "ltr" }, p.body));
    if (p.answer) {
      var ans = el("div", { class: "mk-answer", id: "proposal-answer" });
      ans.appendChild(el("h3", {}, t("answer")));
      ans.appendChild(el("p", { dir: "auto" }, p.answer));
      panel.appendChild(ans);
    }
    var sup = el("div", { class: "mk-supports" });
    sup.appendChild(el("span", { id: "proposal-supports" }, t("supports") + " : " + p.supports));
    var open = p.state === "published" || p.state === "evaluating";
    if (open) {
      var mine = store("mk_supported_" + p.id) === "1";
      var sb = el("button", { type: "button", id: "proposal-support", class: "mk-primary" }, mine ? t("supported") : t("support"));
      sb.disabled = mine;
      sb.addEventListener("click", function () {
        sb.disabled = true;
        call("POST", "/proposals/" + p.id + "/supports", {}).then(function () {
          store("mk_supported_" + p.id, "1");
          openPanel(p.id);
          refresh();
        }).catch(function (err) {
          if (/already|سبق/.test(err.message)) store("mk_supported_" + p.id, "1");
          sup.appendChild(el("p", { class: "mk-error", role: "alert" }, err.message));
        });
      });
      sup.appendChild(sb);
    }
    panel.appendChild(sup);
    var token = store("mk_edit_" + p.id);
    if (token && open && !p.answer) {
      var wb = el("button", { type: "button", id: "proposal-withdraw" }, t("withdraw"));
      wb.addEventListener("click", function () {
        call("POST", "/proposals/" + p.id + "/withdraw", undefined, { "x-edit-token": token }).then(function () {
          openPanel(p.id);
          refresh();
        }).catch(function (err) { panel.appendChild(el("p", { class: "mk-error", role: "alert" }, err.message)); });
      });
      panel.appendChild(wb);
    }
    renderComments(p, comments);
    panel.hidden = false;
    if (p.lon != null && p.lat != null) reveal([Number(p.lon), Number(p.lat)], panel);
    hook.panel = { id: p.id, state: p.state, answer: p.answer, supports: p.supports, comments: comments.length };
  }
  function renderComments(p, comments) {
    panel.appendChild(el("h3", {}, t("comments") + " (" + comments.length + ")"));
    var list = el("ul", { class: "mk-comments", id: "proposal-comments" });
    if (!comments.length) panel.appendChild(el("p", { class: "mk-small" }, t("noComments")));
    var form = el("form", { id: "comment-form", novalidate: "" });
    var parent = null;
    var replying = el("p", { class: "mk-small", hidden: "" });
    comments.forEach(function (c) {
      var li = el("li", { "data-depth": String(Math.min(c.depth, 6)) });
      li.style.marginInlineStart = Math.min(c.depth, 6) * 1.2 + "rem";
      li.appendChild(el("p", { dir: "auto" }, c.body));
      var rb = el("button", { type: "button", class: "mk-link" }, t("reply"));
      rb.addEventListener("click", function () {
        parent = c.id;
        replying.hidden = false;
        replying.textContent = t("replyTo") + " : « " + c.body.slice(0, 60) + " »";
        text.focus();
      });
      li.appendChild(rb);
      list.appendChild(li);
    });
    panel.appendChild(list);
    form.appendChild(replying);
    var text = field(form, "comment-body", t("comment"), el("textarea", { rows: "2", maxlength: "2000", required: "" }));
    var trap = honeypot(form);
    var msg = el("div", { role: "alert" });
    form.appendChild(msg);
    form.appendChild(el("button", { type: "submit", id: "comment-submit" }, t("send")));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var data = { body: text.value };
      if (parent) data.parent_id = parent;
      if (trap.value) data.website = trap.value;
      call("POST", "/proposals/" + p.id + "/comments", data).then(function () { openPanel(p.id); refresh(); })
        .catch(function (err) { msg.className = "mk-error"; msg.textContent = err.message; });
    });
    panel.appendChild(form);
  }

  // ---- language: follow <html lang> (the viewer's buttons change it) ----
  function relabel() {
    button.textContent = t("propose");
    button.setAttribute("lang", lang());
    renderHint();
    var legend = document.getElementById("proposal-legend");
    var side = document.getElementById("panel");
    if (!legend && side) {
      legend = el("div", { id: "proposal-legend" });
      side.appendChild(legend);
    }
    if (legend) {
      legend.textContent = "";
      legend.appendChild(el("h2", {}, t("proposals")));
      Object.keys(STATES).forEach(function (k) {
        var item = el("div", { class: "item" });
        var sw = el("span", { class: "sw mk-dot" });
        sw.style.background = STATES[k][2];
        item.appendChild(sw);
        item.appendChild(document.createTextNode(pick(STATES[k])));
        legend.appendChild(item);
      });
    }
    if (!panel.hidden && current) openPanel(current);
  }
  new MutationObserver(relabel).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  relabel();
})();
