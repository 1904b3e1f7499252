//! HTML views for people in a browser (French, Arabic and English labels; no external assets).
use serde_json::Value;

use super::url::urlencode;
use crate::layers::Layer;
use crate::web::{esc, page, Link};

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Arabic text gets its own direction.
fn cell(v: &Value) -> String {
    let t = text(v);
    if t.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        format!("<td dir=\"rtl\" lang=\"ar\">{}</td>", esc(&t))
    } else {
        format!("<td>{}</td>", esc(&t))
    }
}

fn breadcrumb(parts: &[(&str, &str)]) -> String {
    let mut out = String::from("<nav><a href=\"/\">Mokhattat</a>");
    for (href, label) in parts {
        out.push_str(&format!(" › <a href=\"{}\">{}</a>", esc(href), esc(label)));
    }
    out.push_str("</nav>");
    out
}

pub fn collections(cols: &[Value]) -> String {
    let rows: String = cols
        .iter()
        .map(|c| {
            let id = text(&c["id"]);
            format!(
                "<tr><td><a href=\"/collections/{id}?f=html\">{}</a></td><td>{}</td>\
                 <td><a href=\"/collections/{id}/items?f=html\">HTML</a> · <a href=\"/collections/{id}/items?f=json\">GeoJSON</a> · \
                 <a href=\"/collections/{id}/items?f=csv\">CSV</a> · <a href=\"/collections/{id}/items?f=gpkg&amp;limit=10000\">GeoPackage</a> · \
                 <a href=\"/collections/{id}/items?f=fgb&amp;limit=10000\">FlatGeobuf</a></td></tr>",
                esc(&text(&c["title"])),
                esc(&text(&c["description"])),
            )
        })
        .collect();
    page(
        "Collections — المجموعات",
        &format!(
            "{}<h1>Collections <span lang=\"ar\" dir=\"rtl\">المجموعات</span></h1>\
             <p>OGC API – Features. QGIS: <em>Couche › Ajouter une couche WFS / OGC API – Features</em>, URL <code>{}</code>.</p>\
             <table><tr><th>Layer</th><th>Description</th><th>Données / البيانات</th></tr>{rows}</table>",
            breadcrumb(&[]),
            "/"
        ),
    )
}

pub fn collection(c: &Layer, body: &Value) -> String {
    let bbox = body["extent"]["spatial"]["bbox"][0].to_string();
    let interval = body["extent"]["temporal"]["interval"][0].to_string();
    let crs: String = body["crs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| format!("<li><code>{}</code></li>", esc(&text(v))))
                .collect()
        })
        .unwrap_or_default();
    page(
        c.title,
        &format!(
            "{}<h1>{} — {} — <span lang=\"ar\" dir=\"rtl\">{}</span></h1><p>{}</p>\
             <p><a href=\"/collections/{id}/items?f=html\">Parcourir / تصفح</a> · <a href=\"/collections/{id}/queryables?f=html\">Queryables</a> · \
             <a href=\"/collections/{id}/items?f=gpkg&amp;limit=10000\">GeoPackage</a> · <a href=\"/collections/{id}/items?f=csv&amp;limit=10000\">CSV</a></p>\
             <table><tr><th>Emprise (CRS84)</th><td><code>{}</code></td></tr><tr><th>Période</th><td><code>{}</code></td></tr></table>\
             <h2>CRS</h2><ul>{crs}</ul>",
            breadcrumb(&[("/collections?f=html", "Collections")]),
            esc(c.title),
            esc(c.title_fr),
            esc(c.title_ar),
            esc(c.description),
            esc(&bbox),
            esc(&interval),
            id = c.id,
        ),
    )
}

pub fn queryables(c: &Layer, schema: &Value) -> String {
    let rows: String = schema["properties"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        esc(k),
                        esc(&text(&v["title"])),
                        esc(&text(v.get("type").unwrap_or(&v["format"])))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    page(
        &format!("{} — queryables", c.title),
        &format!(
            "{}<h1>Queryables — {}</h1><p>CQL2: <code>filter=population &gt; 100000&amp;filter-lang=cql2-text</code></p>\
             <table><tr><th>Nom</th><th>Titre</th><th>Type</th></tr>{rows}</table>",
            breadcrumb(&[("/collections?f=html", "Collections"), (&format!("/collections/{}?f=html", c.id), c.title)]),
            esc(c.title)
        ),
    )
}

const MAX_COLUMNS: usize = 8;

pub fn items(
    c: &Layer,
    rows: &[(String, Option<String>, String)],
    matched: i64,
    links: &[Link],
) -> String {
    let shown: Vec<&str> = c.props.iter().take(MAX_COLUMNS).map(|p| p.name).collect();
    let head: String = shown
        .iter()
        .map(|n| format!("<th>{}</th>", esc(n)))
        .collect();
    let body: String = rows
        .iter()
        .map(|(fid, _, props)| {
            let obj: Value = serde_json::from_str(props).unwrap_or(Value::Null);
            let cells: String = shown.iter().map(|n| cell(&obj[*n])).collect();
            format!(
                "<tr><td><a href=\"/collections/{}/items/{}?f=html\">{}</a></td>{cells}</tr>",
                c.id,
                urlencode(fid),
                esc(fid)
            )
        })
        .collect();
    let nav: String = links
        .iter()
        .filter(|l| l.rel == "prev" || l.rel == "next")
        .map(|l| {
            let href = l.href.replace("limit=", "f=html&limit=");
            format!(
                "<a href=\"{}\">{}</a> ",
                esc(&href),
                if l.rel == "next" {
                    "Suivant / التالي ›"
                } else {
                    "‹ Précédent / السابق"
                }
            )
        })
        .collect();
    page(
        c.title,
        &format!(
            "{}<h1>{} <span lang=\"ar\" dir=\"rtl\">{}</span></h1><p>{} features / objets / عناصر — {} ici.</p>\
             <p>{nav}</p><table><tr><th>id</th>{head}</tr>{body}</table><p>{nav}</p>",
            breadcrumb(&[("/collections?f=html", "Collections"), (&format!("/collections/{}?f=html", c.id), c.title)]),
            esc(c.title_fr),
            esc(c.title_ar),
            matched,
            rows.len()
        ),
    )
}

pub fn item(c: &Layer, fid: &str, props: &Value, geom: Option<&str>) -> String {
    let rows: String = c
        .props
        .iter()
        .map(|p| {
            format!(
                "<tr><th title=\"{}\">{}</th>{}</tr>",
                esc(p.title),
                esc(p.name),
                cell(&props[p.name])
            )
        })
        .collect();
    let geom_kind = geom
        .and_then(|g| serde_json::from_str::<Value>(g).ok())
        .map(|g| text(&g["type"]))
        .unwrap_or_else(|| "—".into());
    page(
        &format!("{} {fid}", c.title),
        &format!(
            "{}<h1>{} <code>{}</code></h1><table>{rows}<tr><th>geometry</th><td>{}</td></tr></table>\
             <p><a href=\"/collections/{}/items/{}?f=json\">GeoJSON</a></p>",
            breadcrumb(&[("/collections?f=html", "Collections"), (&format!("/collections/{}/items?f=html", c.id), c.title)]),
            esc(c.title),
            esc(fid),
            esc(&geom_kind),
            c.id,
            urlencode(fid)
        ),
    )
}
