//! HTML views of the OGC API for people in a browser, in the shared page frame
//! ([`crate::html::layout`]): French or Arabic (`?lang=`, Accept-Language), features named (not
//! numbered), the page's features on a small map, empty columns left out, and for units the links
//! to their page, diagnosis sheet and map. Built with maud (every value escaped).
use axum::http::HeaderMap;
use maud::{html, Markup};
use serde_json::Value;

use super::url::urlencode;
use crate::html::{display_name, geo, layout, Lang};
use crate::layers::Layer;
use crate::web::Link;

/// Who reads the page and which page it is (for the language switch and the footer).
pub struct View {
    pub lang: Lang,
    pub url: String,
}

impl View {
    /// `path` as requested with its query `pairs`; the language from `lang=` or Accept-Language.
    pub fn new(path: &str, pairs: &[(String, String)], headers: &HeaderMap) -> View {
        let lang = pairs
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
        View {
            lang: Lang::pick(lang, headers),
            url: if query.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{query}")
            },
        }
    }

    fn t<'a>(&self, ar: &'a str, fr: &'a str) -> &'a str {
        self.lang.t(ar, fr)
    }

    /// A link to another HTML page of the API, in this language.
    fn href(&self, path: &str) -> String {
        format!("{path}?f=html&lang={}", self.lang.code())
    }

    fn page(&self, title: &str, crumbs: &[(String, String)], body: Markup) -> String {
        let nav = html! {
            nav.crumbs {
                a href=(self.href("/collections")) { (self.t("المجموعات", "Collections")) }
                @for (href, label) in crumbs { " › " a href=(href) { (label) } }
            }
        };
        layout(title, self.lang, &self.url, html! { (nav) (body) }).into_string()
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn title(c: &Layer, lang: Lang) -> &'static str {
    lang.t(c.title_ar, c.title_fr)
}

/// The collection's title in the other language, marked as such.
fn other_title(c: &Layer, lang: Lang) -> Markup {
    let other = lang.other();
    html! { span lang=(other.code()) dir=(other.dir()) { (title(c, other)) } }
}

/// Arabic text gets its own direction.
fn cell(v: &Value) -> Markup {
    let t = text(v);
    if t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        html! { td dir="rtl" lang="ar" { (t) } }
    } else {
        html! { td { (t) } }
    }
}

/// The administrative level of a units collection.
fn unit_level(c: &Layer) -> Option<&'static str> {
    match c.id {
        "municipalities" => Some("municipality"),
        "delegations" => Some("delegation"),
        "governorates" => Some("governorate"),
        _ => None,
    }
}

/// Links from a feature to the pages about it: a unit's page, diagnosis sheet and map; a
/// project's page.
fn onward(c: &Layer, props: &Value, v: &View) -> Markup {
    let code = urlencode(&text(&props["code"]));
    let l = v.lang.code();
    html! {
        @if code.is_empty() {}
        @else if let Some(level) = unit_level(c) {
            a href={ "/units/" (level) "/" (code) "?lang=" (l) } { (v.t("صفحة الوحدة", "Page")) } " · "
            a href={ "/api/units/" (level) "/" (code) "/diagnosis?f=html&lang=" (l) } { (v.t("بطاقة التشخيص", "Fiche de diagnostic")) }
            @if level == "municipality" { " · " a href={ "/map?municipality=" (code) "&lang=" (l) } { (v.t("الخريطة", "Carte")) } }
        }
        @else if c.id == "projects" {
            a href={ "/projects/" (code) "?lang=" (l) } { (v.t("صفحة المشروع", "Page du projet")) }
        }
    }
}

pub fn conformance(classes: &[&str], v: &View) -> String {
    let body = html! {
        h1 { (v.t("المطابقة", "Conformité")) " — Conformance" }
        ul { @for c in classes { li { code { (c) } } } }
    };
    v.page(v.t("المطابقة", "Conformité"), &[], body)
}

pub fn collections(cols: &[Value], v: &View) -> String {
    let body = html! {
        h1 { (v.t("المجموعات", "Collections")) }
        p { "OGC API – Features. QGIS : " em { (v.t("طبقة › إضافة طبقة WFS / OGC API – Features", "Couche › Ajouter une couche WFS / OGC API – Features")) } ", URL " code { "/" } }
        div.scroll { table {
            tr { th { (v.t("الطبقة", "Couche")) } th { "Description" } th { (v.t("البيانات", "Données")) } }
            @for c in cols {
                @let id = text(&c["id"]);
                @let items = format!("/collections/{id}/items");
                tr {
                    td { a href=(v.href(&format!("/collections/{id}"))) { (text(&c["title"])) } }
                    td { (text(&c["description"])) }
                    td {
                        a href=(v.href(&items)) { "HTML" } " · "
                        a href={ (items) "?f=json" } { "GeoJSON" } " · "
                        a href={ (items) "?f=csv" } { "CSV" } " · "
                        a href={ (items) "?f=gpkg&limit=10000" } { "GeoPackage" } " · "
                        a href={ (items) "?f=fgb&limit=10000" } { "FlatGeobuf" }
                    }
                }
            }
        } }
    };
    v.page(v.t("المجموعات", "Collections"), &[], body)
}

pub fn collection(c: &Layer, body: &Value, v: &View) -> String {
    let items = format!("/collections/{}/items", c.id);
    let crs: Vec<String> = body["crs"]
        .as_array()
        .map(|a| a.iter().map(text).collect())
        .unwrap_or_default();
    let page = html! {
        h1 { (title(c, v.lang)) } p.muted { (other_title(c, v.lang)) " · " (c.title) " · " (c.id) }
        p { (c.description) }
        p {
            a href=(v.href(&items)) { (v.t("تصفح", "Parcourir")) } " · "
            a href=(v.href(&format!("/collections/{}/queryables", c.id))) { "Queryables" } " · "
            a href={ (items) "?f=gpkg&limit=10000" } { "GeoPackage" } " · "
            a href={ (items) "?f=csv&limit=10000" } { "CSV" }
        }
        table {
            tr { th { (v.t("الامتداد", "Emprise")) " (CRS84)" } td { code { (body["extent"]["spatial"]["bbox"][0].to_string()) } } }
            tr { th { (v.t("الفترة", "Période")) } td { code { (body["extent"]["temporal"]["interval"][0].to_string()) } } }
        }
        h2 { "CRS" } ul { @for x in &crs { li { code { (x) } } } }
    };
    v.page(title(c, v.lang), &[], page)
}

pub fn queryables(c: &Layer, schema: &Value, v: &View) -> String {
    let crumb = (
        v.href(&format!("/collections/{}", c.id)),
        title(c, v.lang).to_string(),
    );
    let body = html! {
        h1 { "Queryables — " (title(c, v.lang)) }
        p { "CQL2 : " code { "filter=population > 100000&filter-lang=cql2-text" } }
        table {
            tr { th { (v.t("الاسم", "Nom")) } th { (v.t("العنوان", "Titre")) } th { "Type" } }
            @if let Some(m) = schema["properties"].as_object() {
                @for (k, p) in m {
                    tr { td { code { (k) } } td { (text(&p["title"])) } td { (text(p.get("type").unwrap_or(&p["format"]))) } }
                }
            }
        }
    };
    v.page(
        &format!("{} — queryables", title(c, v.lang)),
        &[crumb],
        body,
    )
}

/// "Features 11 to 20 of 274" in the reader's language (0 and 1 said as such).
pub fn count_sentence(lang: Lang, matched: i64, offset: i64, returned: usize) -> String {
    let (first, last) = (offset + 1, offset + returned as i64);
    match (lang, matched, returned) {
        (Lang::Fr, 0, _) => "Aucun objet ne correspond.".into(),
        (Lang::Ar, 0, _) => "لا يوجد أي عنصر مطابق.".into(),
        (Lang::Fr, _, 0) => format!("Aucun objet sur cette page ({matched} au total)."),
        (Lang::Ar, _, 0) => format!("لا عناصر في هذه الصفحة (المجموع: {matched})."),
        (Lang::Fr, 1, _) => "1 objet.".into(),
        (Lang::Ar, 1, _) => "عنصر واحد.".into(),
        (Lang::Fr, _, _) => format!("Objets {first} à {last} sur {matched}."),
        (Lang::Ar, _, _) => format!("العناصر من {first} إلى {last} من أصل {matched}."),
    }
}

const MAX_COLUMNS: usize = 8;

/// One row of a page: (feature id, GeoJSON geometry, properties JSON).
pub type Row = (String, Option<String>, String);

// size: one template (map, count, table with its hidden empty columns, paging links)
pub fn items(
    c: &Layer,
    rows: &[Row],
    matched: i64,
    offset: i64,
    links: &[Link],
    v: &View,
) -> String {
    let objs: Vec<Value> = rows
        .iter()
        .map(|(_, _, p)| serde_json::from_str(p).unwrap_or(Value::Null))
        .collect();
    let geoms: Vec<Value> = rows
        .iter()
        .map(|(_, g, _)| {
            g.as_deref()
                .and_then(|g| serde_json::from_str(g).ok())
                .unwrap_or(Value::Null)
        })
        .collect();
    let names: Vec<String> = rows
        .iter()
        .zip(&objs)
        .map(|((fid, _, _), o)| display_name(o, v.lang).unwrap_or_else(|| fid.clone()))
        .collect();
    let item_href = |fid: &str| v.href(&format!("/collections/{}/items/{}", c.id, urlencode(fid)));
    // columns with a value on this page, at most MAX_COLUMNS
    let shown: Vec<&str> = c
        .props
        .iter()
        .map(|p| p.name)
        .filter(|n| objs.iter().any(|o| !text(&o[*n]).trim().is_empty()))
        .take(MAX_COLUMNS)
        .collect();
    let shapes: Vec<geo::Shape> = rows
        .iter()
        .zip(&geoms)
        .zip(&names)
        .map(|(((fid, _, _), g), name)| geo::Shape {
            geometry: g,
            class: if c.scoped { "project" } else { "unit" },
            title: name.clone(),
            href: Some(item_href(fid)),
        })
        .collect();
    let nav = html! {
        p.noprint { @for l in links.iter().filter(|l| l.rel == "prev" || l.rel == "next") {
            a href=(format!("{}&lang={}", l.href.replace("limit=", "f=html&limit="), v.lang.code())) {
                @if l.rel == "next" { (v.t("التالي ›", "Suivant ›")) } @else { (v.t("‹ السابق", "‹ Précédent")) }
            } " "
        } }
    };
    let body = html! {
        h1 { (title(c, v.lang)) } p.muted { (other_title(c, v.lang)) " · " (c.title) }
        p.count { (count_sentence(v.lang, matched, offset, rows.len())) }
        @if let Some(m) = geo::map(&shapes, title(c, v.lang)) { (m) }
        (nav)
        div.scroll { table {
            tr { th { (v.t("الاسم", "Nom")) } @for n in &shown { th { (n) } } th.noprint { (v.t("روابط", "Liens")) } }
            @for (((fid, _, _), o), name) in rows.iter().zip(&objs).zip(&names) {
                tr {
                    th { a href=(item_href(fid)) { (name) } }
                    @for n in &shown { (cell(&o[*n])) }
                    td.noprint { (onward(c, o, v)) }
                }
            }
        } }
        (nav)
    };
    v.page(title(c, v.lang), &[], body)
}

pub fn item(c: &Layer, fid: &str, props: &Value, geom: Option<&str>, v: &View) -> String {
    let name = display_name(props, v.lang).unwrap_or_else(|| fid.to_string());
    let g: Value = geom
        .and_then(|g| serde_json::from_str(g).ok())
        .unwrap_or(Value::Null);
    let shape = [geo::Shape {
        geometry: &g,
        class: if c.scoped { "project" } else { "unit" },
        title: name.clone(),
        href: None,
    }];
    let crumb = (
        v.href(&format!("/collections/{}/items", c.id)),
        title(c, v.lang).to_string(),
    );
    let body = html! {
        h1 { (name) } p.muted { (title(c, v.lang)) " · " code { (fid) } }
        p { (onward(c, props, v)) }
        div.grid2 {
            table {
                @for p in c.props.iter().filter(|p| !text(&props[p.name]).trim().is_empty()) {
                    tr { th title=(p.title) { (p.name) } (cell(&props[p.name])) }
                }
                tr { th { "geometry" } td { (text(&g["type"])) @if g.is_null() { "—" } } }
            }
            @if let Some(m) = geo::map(&shape, &name) { (m) }
        }
        p { a href={ "/collections/" (c.id) "/items/" (urlencode(fid)) "?f=json" } { "GeoJSON" } }
    };
    v.page(&name, &[crumb], body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_sentences() {
        for (lang, matched, offset, returned, said) in [
            (Lang::Fr, 274, 10, 10, "Objets 11 à 20 sur 274."),
            (Lang::Ar, 274, 0, 10, "العناصر من 1 إلى 10 من أصل 274."),
            (Lang::Fr, 1, 0, 1, "1 objet."),
            (Lang::Fr, 0, 0, 0, "Aucun objet ne correspond."),
            (Lang::Ar, 5, 10, 0, "لا عناصر في هذه الصفحة (المجموع: 5)."),
        ] {
            assert_eq!(count_sentence(lang, matched, offset, returned), said);
        }
    }
}
