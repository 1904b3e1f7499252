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
        ul.services dir="ltr" lang="en" {
            @for link in links.iter().filter(|x| x.rel != "self" && x.rel != "alternate") {
                li { a href=(link.href) type=(link.media_type) { (link.title) } " " small.ltr { (link.media_type) } }
            }
        }
    };
    layout("Mokhattat", lang, &format!("/?f=html&lang={l}"), body).into_string()
}
