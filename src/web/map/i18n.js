// Mokhattat map viewer: every text a person reads, in French and Arabic, and the labels of the
// codes the tiles carry (statuses, themes, land-use classes, facility kinds, precisions, levels).
// Exposes window.mokhattatI18n; loaded before viewer.js.
(function () {
  "use strict";
  // every text a person reads: key → [French, Arabic]
  var T = {
    title: ["Aménagement du territoire — Tunisie", "التهيئة الترابية — تونس"], layers: ["Couches", "الطبقات"],
    legend: ["Légende", "مفتاح الخريطة"], legend_status: ["Statut des projets", "حالة المشاريع"],
    legend_theme: ["Thème des projets (contour)", "محور المشاريع (الإطار)"],
    legend_group: ["Groupe de projets (cliquer pour zoomer)", "مجموعة مشاريع (انقر للتكبير)"], boundaries: ["Limites", "الحدود"],
    filters: ["Filtres actifs", "المرشحات النشطة"], remove_filter: ["Retirer le filtre", "إزالة المرشح"],
    funder: ["Bailleur", "الممول"], year: ["Année", "السنة"], filter: ["Filtre", "مرشح"],
    legend_hint: ["Cliquez sur un statut ou un thème pour filtrer la carte.", "انقر على حالة أو محور لتصفية الخريطة."],
    hint: ["Cliquez sur un objet pour ses détails.", "انقر على عنصر لعرض تفاصيله."], municipalities: ["Communes", "البلديات"],
    governorates: ["Gouvernorats", "الولايات"], delegations: ["Délégations", "المعتمديات"],
    landuse: ["Occupation du sol", "استعمال الأراضي"], projects: ["Projets", "المشاريع"], facilities: ["Équipements", "المرافق"],
    code: ["Code", "الرمز"], name: ["Nom", "الاسم"], status: ["Statut", "الحالة"], theme: ["Thème", "المحور"],
    budget: ["Budget (TND)", "الميزانية (د.ت)"], progress: ["Avancement", "نسبة الإنجاز"], precision: ["Précision", "دقة الموقع"],
    place: ["Lieu", "المكان"], class: ["Classe", "الصنف"], zone: ["Zone", "المنطقة"], kind: ["Type", "النوع"],
    area: ["Superficie (km²)", "المساحة (كم²)"], years: ["Période", "الفترة"], project: ["Projet", "مشروع"],
    plan: ["Plan", "المثال"], open_project: ["Voir la fiche du projet", "عرض بطاقة المشروع"],
    open_unit: ["Voir la page", "عرض الصفحة"], open_sheet: ["Fiche de diagnostic", "بطاقة التشخيص"],
    full_map: ["Ouvrir la carte complète", "فتح الخريطة الكاملة"], panel: ["Couches et légende", "الطبقات ومفتاح الخريطة"],
    close: ["Fermer", "إغلاق"], embed: ["Intégrer cette carte", "إدماج هذه الخريطة"],
    embed_intro: ["Copiez ce code dans une page de votre site : la carte de la commune, dans la langue et avec les couches choisies.", "انسخ هذه الشفرة في صفحة من موقعك: خريطة البلدية باللغة والطبقات المختارة."],
    municipality: ["Commune", "البلدية"], language: ["Langue", "اللغة"], height: ["Hauteur (px)", "الارتفاع (بكسل)"],
    copy: ["Copier", "نسخ"], copied: ["Copié", "تم النسخ"], all_country: ["Toute la Tunisie", "كامل تراب الجمهورية"],
    municipality_level: ["Commune", "بلدية"], governorate_level: ["Gouvernorat", "ولاية"],
    delegation_level: ["Délégation", "معتمدية"],
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
      t: function (key) { var e = T[key]; return e ? e[lang === "ar" ? 1 : 0] : key; },
      pick: function (table, code) { var e = table[code]; return e ? e[lang === "ar" ? 1 : 0] : null; },
    };
  }
  window.mokhattatI18n = { T: T, STATUS: STATUS, THEME: THEME, PRECISION: PRECISION, LANDUSE: LANDUSE, FACILITY: FACILITY, make: make };
})();
