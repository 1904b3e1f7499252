//! The landing page for people (`/?f=html`): what Mokhattat is, "open the map" first, the pages a
//! citizen or a planner opens, the combined QGIS connection first, then every service link with
//! the type it answers.
use maud::{html, Markup, PreEscaped};

use super::Link;
use crate::html::{layout, Lang};

/// Every source in one vector-tile connection: what a QGIS user wants first.
pub const COMBINED: &str = "governorates,delegations,municipalities,landuse,projects,facilities";

fn qgis(base: &str, lang: Lang) -> Markup {
    html! {
        h2 { "QGIS" }
        p { (lang.t("اتصال واحد يضم كل الطبقات (بلاطات شعاعية):", "Une seule connexion avec toutes les couches (tuiles vectorielles) :")) }
        table.combined {
            tr { th { "URL" } td { code dir="ltr" { (base) "/tiles/" (COMBINED) "/{z}/{x}/{y}.pbf" } } }
            tr { th { (lang.t("الأسلوب", "Style")) } td { code dir="ltr" { (base) "/styles/planning-qgis.json" } } }
            tr { th { (lang.t("التكبير", "Zoom")) } td.ltr { "0 – 14" } }
        }
        p { (lang.t("أو OGC API – Features بالعنوان ", "Ou OGC API – Features à l'URL ")) code dir="ltr" { (base) } "." }
        details {
            summary { (lang.t("اتصال لكل مصدر", "Une connexion par source")) }
            div.scroll { (PreEscaped(crate::tiles::qgis_connections_html(base))) }
        }
    }
}

/// The service links' titles for people, by link relation (the JSON landing keeps its English).
const SERVICES: &[(&str, &str, &str)] = &[
    ("service-desc", "تعريف واجهة البرمجة (OpenAPI 3.0)", "La définition de l'API (OpenAPI 3.0)"),
    ("service-doc", "توثيق واجهة البرمجة وتجربتها", "La documentation de l'API, à essayer"),
    ("conformance", "أصناف المطابقة لـ OGC API", "Les classes de conformité OGC API"),
    ("data", "المجموعات: البلديات، المعتمديات، الولايات، استعمال الأراضي، المشاريع، المرافق", "Les collections : communes, délégations, gouvernorats, occupation du sol, projets, équipements"),
    ("status", "حالة الخدمة وقاعدة البيانات", "L'état du service et de la base"),
    ("metrics", "مقاييس Prometheus", "Les métriques Prometheus"),
    ("locate", "الوحدات الإدارية التي تحتوي نقطة", "Les unités administratives qui contiennent un point"),
    ("search", "البحث عن وحدة بالاسم (عربي، فرنسي، إنجليزي)", "Chercher une unité par son nom (arabe, français, anglais)"),
    ("unit", "وحدة: أسماؤها، أصلها، مساحتها، سكانها، نسخها، حدودها", "Une unité : noms, parent, superficie, population, versions, géométrie"),
    ("map", "الخريطة (قابلة للتضمين: ‎/map?embed=1)", "La carte (intégrable : /map?embed=1)"),
    ("tiles", "البلاطات الشعاعية: الفهرس، TileJSON، اتصالات QGIS", "Les tuiles vectorielles : catalogue, TileJSON, connexions QGIS"),
    ("styles", "أساليب الخريطة (MapLibre و QGIS)", "Les styles de carte (MapLibre, et variantes pour QGIS)"),
    ("indicators", "المؤشرات حسب البلدية (والمعتمدية والولاية؛ CSV؛ as_of)", "Les indicateurs par commune (aussi délégation, gouvernorat ; CSV ; as_of)"),
    ("indicators-breakdown", "المؤشرات حسب المحور أو الحالة أو مصدر التمويل", "Les indicateurs par thème, statut ou source de financement"),
    ("data-quality", "المشاريع ذات تنبيهات جودة البيانات حسب البلدية", "Les projets avec des alertes de qualité des données, par commune"),
    ("diagnosis", "بطاقة تشخيص وحدة", "La fiche de diagnostic d'une unité"),
    ("conformity-rules", "قواعد المطابقة (نوع المشروع × صنف المنطقة)", "Les règles de conformité (type de projet × classe de zone)"),
    ("whoami", "دور المفتاح المرسل ونطاقه", "Le rôle et la portée de la clé envoyée"),
];

fn service_title(rel: &str, lang: Lang) -> Option<&'static str> {
    SERVICES
        .iter()
        .find(|(r, ..)| *r == rel)
        .map(|(_, ar, fr)| lang.t(ar, fr))
}

pub fn html(links: &[Link], base: &str, lang: Lang) -> String {
    let l = lang.code();
    let body = html! {
        h1 { "Mokhattat " span lang="ar" { "مخطط" } }
        p.lead { (lang.t(
            "خادم جغرافي للتهيئة الترابية في تونس: البلديات والمعتمديات والولايات وأمثلة التهيئة ومشاريع التنمية والمرافق.",
            "Serveur spatial pour l'aménagement du territoire en Tunisie : communes, délégations, gouvernorats, occupation du sol, projets de développement et équipements.")) }
        p { a.cta.open-map href={ "/map?lang=" (l) } type="text/html" { (lang.t("افتح الخريطة", "Ouvrir la carte")) } }
        ul.people {
            li { a href={ "/units/municipality/1111?lang=" (l) } type="text/html" { (lang.t("صفحة بلدية: تونس", "La page d'une commune : Tunis")) } }
            li { a href={ "/api/units/municipality/1111/diagnosis?f=html&lang=" (l) } type="text/html" { (lang.t("بطاقة تشخيص بلدية", "La fiche de diagnostic d'une commune")) } }
            li { a href={ "/collections?f=html&lang=" (l) } type="text/html" { (lang.t("تصفح البيانات", "Parcourir les données")) } }
            li { a href="/api.html" type="text/html" { (lang.t("واجهة البرمجة: التوثيق والتجربة", "L'API : documentation et essai")) } }
        }
        (qgis(base, lang))
        h2 { (lang.t("الخدمات", "Services")) }
        ul.services {
            @for link in links.iter().filter(|x| x.rel != "self" && x.rel != "alternate") {
                li {
                    @match service_title(&link.rel, lang) {
                        Some(t) => a href=(link.href) type=(link.media_type) { (t) },
                        // a service this table does not name yet: its English title
                        None => a href=(link.href) type=(link.media_type) lang="en" dir="ltr" { (link.title) },
                    }
                    " " small.ltr dir="ltr" { (link.media_type) }
                }
            }
        }
    };
    layout("Mokhattat", lang, &format!("/?f=html&lang={l}"), body).into_string()
}
