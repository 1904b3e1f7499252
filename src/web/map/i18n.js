// Mokhattat map viewer: every text a person reads, in French and Arabic, and the labels of the
// codes the tiles carry (statuses, themes, land-use classes, facility kinds, precisions, levels).
// Exposes window.mokhattatI18n; loaded before viewer.js.
(function () {
  "use strict";
  var T = {
    fr: {
      title: "Aménagement du territoire — Tunisie", layers: "Couches", legend: "Statut des projets",
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
      title: "التهيئة الترابية — تونس", layers: "الطبقات", legend: "حالة المشاريع",
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
  // code → [French, Arabic, colour]; the colours are those of styles/planning.json
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
    delegation: ["délégation", "المعتمدية"], governorate: ["gouvernorat", "الولاية"], national: ["nationale", "وطنية"],
  };
  var LANDUSE = {
    residential: ["Habitat", "سكني"], mixed_centre: ["Centre mixte", "مركز مختلط"], activity: ["Activités", "أنشطة"],
    green: ["Espace vert", "مساحة خضراء"], equipment: ["Équipements", "تجهيزات"], agricultural: ["Agricole", "فلاحي"],
    protected: ["Protégé / servitude", "محمي / ارتفاق"], special: ["Spécial", "خاص"],
    urban_perimeter_2014: ["Périmètre urbain 2014", "المحيط العمراني 2014"], extension_2016: ["Extension 2016", "توسعة 2016"],
  };
  var FACILITY = {
    school: ["École", "مدرسة"], health: ["Santé", "صحة"], administration: ["Administration", "إدارة"],
    post: ["Poste", "بريد"], police: ["Police", "أمن"], other: ["Autre équipement", "مرفق آخر"],
  };
  function make(lang) {
    return {
      t: function (key) { return T[lang][key] || T.fr[key] || key; },
      pick: function (table, code) { var e = table[code]; return e ? e[lang === "ar" ? 1 : 0] : null; },
    };
  }
  window.mokhattatI18n = { T: T, STATUS: STATUS, THEME: THEME, PRECISION: PRECISION, LANDUSE: LANDUSE, FACILITY: FACILITY, make: make };
})();
