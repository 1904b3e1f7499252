// Mokhattat map viewer: every text a person reads, in French and Arabic, and the labels of the
// codes the tiles carry (statuses, themes, land-use classes, facility kinds, precisions, levels).
// Exposes window.mokhattatI18n; loaded before viewer.js.
(function () {
  "use strict";
  var T = {
    fr: {
      title: "Aménagement du territoire — Tunisie", layers: "Couches", legend: "Légende", legend_status: "Statut des projets",
      legend_theme: "Thème des projets (contour)", boundaries: "Limites", filters: "Filtres actifs", remove_filter: "Retirer le filtre",
      funder: "Bailleur", year: "Année", filter: "Filtre", legend_hint: "Cliquez sur un statut ou un thème pour filtrer la carte.",
      hint: "Cliquez sur un objet pour ses détails.", municipalities: "Communes", governorates: "Gouvernorats",
      delegations: "Délégations", landuse: "Occupation du sol", projects: "Projets", facilities: "Équipements",
      code: "Code", name: "Nom", status: "Statut", theme: "Thème", budget: "Budget (TND)", progress: "Avancement",
      precision: "Précision", place: "Lieu", class: "Classe", zone: "Zone", kind: "Type", area: "Superficie (km²)",
      years: "Période", project: "Projet", plan: "Plan", open_project: "Voir la fiche du projet",
      open_unit: "Voir la page", open_sheet: "Fiche de diagnostic", full_map: "Ouvrir la carte complète",
      panel: "Couches et légende", close: "Fermer", embed: "Intégrer cette carte", embed_intro:
        "Copiez ce code dans une page de votre site : la carte de la commune, dans la langue et avec les couches choisies.",
      municipality: "Commune", language: "Langue", height: "Hauteur (px)", copy: "Copier", copied: "Copié",
      all_country: "Toute la Tunisie", municipality_level: "Commune", governorate_level: "Gouvernorat",
      delegation_level: "Délégation",
    },
    ar: {
      title: "التهيئة الترابية — تونس", layers: "الطبقات", legend: "مفتاح الخريطة", legend_status: "حالة المشاريع",
      legend_theme: "محور المشاريع (الإطار)", boundaries: "الحدود", filters: "المرشحات النشطة", remove_filter: "إزالة المرشح",
      funder: "الممول", year: "السنة", filter: "مرشح", legend_hint: "انقر على حالة أو محور لتصفية الخريطة.",
      hint: "انقر على عنصر لعرض تفاصيله.", municipalities: "البلديات", governorates: "الولايات",
      delegations: "المعتمديات", landuse: "استعمال الأراضي", projects: "المشاريع", facilities: "المرافق",
      code: "الرمز", name: "الاسم", status: "الحالة", theme: "المحور", budget: "الميزانية (د.ت)", progress: "نسبة الإنجاز",
      precision: "دقة الموقع", place: "المكان", class: "الصنف", zone: "المنطقة", kind: "النوع", area: "المساحة (كم²)",
      years: "الفترة", project: "مشروع", plan: "المثال", open_project: "عرض بطاقة المشروع",
      open_unit: "عرض الصفحة", open_sheet: "بطاقة التشخيص", full_map: "فتح الخريطة الكاملة",
      panel: "الطبقات ومفتاح الخريطة", close: "إغلاق", embed: "إدماج هذه الخريطة", embed_intro:
        "انسخ هذه الشفرة في صفحة من موقعك: خريطة البلدية باللغة والطبقات المختارة.",
      municipality: "البلدية", language: "اللغة", height: "الارتفاع (بكسل)", copy: "نسخ", copied: "تم النسخ",
      all_country: "كامل تراب الجمهورية", municipality_level: "بلدية", governorate_level: "ولاية",
      delegation_level: "معتمدية",
    },
  };
  // code → [French, Arabic, colour]; the colours are those of styles/planning.json (statuses: the fill;
  // themes: the ring around a project point; land-use classes: the fill)
  var STATUS = {
    identified: ["Identifié", "محدد", "#9e9e9e"], planned: ["Programmé", "مبرمج", "#64b5f6"],
    approved: ["Approuvé", "مصادق عليه", "#1e88e5"], financed: ["Financé", "ممول", "#3949ab"],
    in_procurement: ["En passation", "في طور الصفقات", "#8e24aa"], works_under_way: ["Travaux en cours", "أشغال جارية", "#fb8c00"],
    suspended: ["Suspendu", "معلق", "#e53935"], completed: ["Achevé", "منجز", "#43a047"], cancelled: ["Annulé", "ملغى", "#616161"],
  };
  var THEME = {
    water: ["Eau", "الماء", "#0277bd"], agriculture: ["Agriculture", "الفلاحة", "#7cb342"], environment: ["Environnement", "البيئة", "#2e7d32"],
    energy: ["Énergie", "الطاقة", "#fdd835"], transport: ["Transport", "النقل", "#5d4037"], education: ["Éducation", "التعليم", "#5e35b1"],
    health: ["Santé", "الصحة", "#d81b60"], urban_development: ["Développement urbain", "التنمية العمرانية", "#ef6c00"],
    industry_trade: ["Industrie et commerce", "الصناعة والتجارة", "#546e7a"], finance: ["Finance", "المالية", "#00897b"],
    digital: ["Numérique", "الرقمنة", "#00acc1"], governance: ["Gouvernance", "الحوكمة", "#3949ab"], social_protection: ["Protection sociale", "الحماية الاجتماعية", "#c62828"],
  };
  var PRECISION = {
    exact: ["exacte", "دقيقة"], approximate: ["approximative", "تقريبية"], municipality: ["commune", "البلدية"],
    delegation: ["délégation", "المعتمدية"], governorate: ["gouvernorat", "الولاية"], national: ["nationale", "وطنية"],
  };
  var LANDUSE = {
    residential: ["Habitat", "سكني", "#f2b880"], mixed_centre: ["Centre mixte", "مركز مختلط", "#e07a5f"], activity: ["Activités", "أنشطة", "#b39ddb"],
    green: ["Espace vert", "مساحة خضراء", "#8cc084"], equipment: ["Équipements", "تجهيزات", "#7fb3d5"], agricultural: ["Agricole", "فلاحي", "#e9e4a6"],
    protected: ["Protégé / servitude", "محمي / ارتفاق", "#a3c9a8"], special: ["Spécial", "خاص", "#c8c8c8"],
    urban_perimeter_2014: ["Périmètre urbain 2014", "المحيط العمراني 2014", "#f3c99b"], extension_2016: ["Extension 2016", "توسعة 2016", "#dfe8cf"],
  };
  // code → [French, Arabic, colour]: the facility palette (rounded squares), apart from the statuses';
  // the same colours draw the icons (src/tiles/sprites.rs) and the QGIS style (styles/planning-qgis.json)
  var FACILITY = {
    school: ["École", "مدرسة", "#00796b"], health: ["Santé", "صحة", "#880e4f"], administration: ["Administration", "إدارة", "#6200ea"],
    post: ["Poste", "بريد", "#ffd600"], police: ["Police", "أمن", "#212121"], other: ["Autre équipement", "مرفق آخر", "#f48fb1"],
  };
  function make(lang) {
    return {
      t: function (key) { return T[lang][key] || T.fr[key] || key; },
      pick: function (table, code) { var e = table[code]; return e ? e[lang === "ar" ? 1 : 0] : null; },
    };
  }
  window.mokhattatI18n = { T: T, STATUS: STATUS, THEME: THEME, PRECISION: PRECISION, LANDUSE: LANDUSE, FACILITY: FACILITY, make: make };
})();
