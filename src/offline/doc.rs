//! The pack's `metadata.json` (licence and attribution per source, dates, what each field means,
//! from the layer registry) and its bilingual README (Arabic first, then French).
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::area::Area;
use super::pack::PackLayer;
use crate::layers::{Layer, PType};

/// A source the pack's data comes from (../shared/data/README.md, sample-data/README.md).
struct Source {
    id: &'static str,
    what: &'static str,
    licence: &'static str,
    attribution: &'static str,
    as_of: &'static str,
}

const SOURCES: &[Source] = &[
    Source { id: "boundaries", what: "Municipalities (2018), delegations, governorates", licence: "ODbL-1.0",
        attribution: "Boundaries © Julia Clark / OpenStreetMap contributors (ODbL)", as_of: "2018" },
    Source { id: "population", what: "Population estimates by municipality", licence: "Open data (data4tunisia)",
        attribution: "Population: Ministry of Local Affairs / INS", as_of: "2019-01" },
    Source { id: "osm", what: "Points of interest (facilities)", licence: "ODbL-1.0",
        attribution: "Points of interest © OpenStreetMap contributors (ODbL)", as_of: "2019" },
    Source { id: "world-bank", what: "World Bank project locations", licence: "CC-BY-4.0",
        attribution: "Projects: World Bank, CC BY 4.0", as_of: "2025-03" },
    Source { id: "mokhattat", what: "Data entered in Mokhattat by the communes, the ministry and partners (projects, land use, participation)",
        licence: "CC-BY-4.0", attribution: "Mokhattat — Ministry of Local Affairs / the commune", as_of: "the generation date" },
    Source { id: "iati", what: "IATI Standard 2.03 (file format and codelists)", licence: "CC-BY-4.0",
        attribution: "IATI Standard, International Aid Transparency Initiative", as_of: "2.03" },
];

/// The sources a layer's rows come from.
fn sources_of(l: &Layer) -> &'static [&'static str] {
    match l.id {
        "municipalities" | "delegations" | "governorates" => &["boundaries", "population"],
        id if id.starts_with("indicators") => &["boundaries", "population", "mokhattat"],
        "facilities" => &["osm"],
        "projects" | "conformity" => &["world-bank", "mokhattat"],
        _ => &["mokhattat"],
    }
}

fn ptype(t: PType) -> &'static str {
    match t {
        PType::Str => "text",
        PType::Int => "integer",
        PType::Num => "number",
        PType::Bool => "boolean",
        PType::Date => "date",
        PType::DateTime => "date-time",
    }
}

fn layer_meta(l: &PackLayer, stem: &str) -> Value {
    let c = l.layer;
    json!({
        "id": c.id, "title": c.title, "title_fr": c.title_fr, "title_ar": c.title_ar,
        "description": c.description, "geometry_type": c.geometry_type,
        "geopackage": format!("{stem}.gpkg"), "geopackage_layer": c.id,
        "csv": format!("csv/{}.csv", c.id), "features": l.rows.len(),
        "selection": format!("/collections/{}/items?{}", c.id, l.query),
        "sources": sources_of(c),
        "fields": c.props.iter().map(|p| json!({"name": p.name, "type": ptype(p.ty), "title": p.title}))
            .collect::<Vec<_>>(),
    })
}

pub fn metadata(area: &Area, layers: &[PackLayer], stem: &str, generated: DateTime<Utc>) -> String {
    let doc = json!({
        "pack": stem, "area": {"code": area.code, "name_fr": area.name_fr, "name_ar": area.name_ar,
            "bbox": area.bbox, "national": area.is_national()},
        "generated": generated.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "crs": "EPSG:4326 (GeoPackage: x = longitude, y = latitude; CSV column wkt: lon lat)",
        "csv": "UTF-8 with BOM, comma-separated, CRLF; columns: id, the properties, wkt",
        "iati": {"file": format!("{stem}-iati.xml"), "standard": "IATI 2.03 activities"},
        "sources": SOURCES.iter().map(|s| json!({"id": s.id, "what": s.what, "licence": s.licence,
            "attribution": s.attribution, "as_of": s.as_of})).collect::<Vec<_>>(),
        "layers": layers.iter().map(|l| layer_meta(l, stem)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

pub fn readme(area: &Area, layers: &[PackLayer], stem: &str) -> String {
    let mut ar = String::new();
    let mut fr = String::new();
    for l in layers {
        let c = l.layer;
        ar.push_str(&format!(
            "- `{}` — {} ({} عنصر)\n",
            c.id,
            c.title_ar,
            l.rows.len()
        ));
        fr.push_str(&format!(
            "- `{}` — {} ({} entités)\n",
            c.id,
            c.title_fr,
            l.rows.len()
        ));
    }
    let attribution: Vec<&str> = SOURCES.iter().map(|s| s.attribution).collect();
    format!(
        "<div dir=\"rtl\" lang=\"ar\">\n\n# حزمة البيانات المفتوحة — {name_ar} ({code})\n\n\
         - `{stem}.gpkg`: كل الطبقات العمومية (GeoPackage، EPSG:4326)، تفتح في QGIS وQField.\n\
         - `csv/`: جدول لكل طبقة (UTF-8، الهندسة في عمود wkt).\n\
         - `{stem}-iati.xml`: مشاريع البلدية بصيغة IATI 2.03.\n\
         - `metadata.json`: الرخص والمصادر والتواريخ ومعنى كل حقل.\n\n## الطبقات\n\n{ar}\n\
         ## الرخص\n\nيجب ذكر المصادر عند إعادة النشر (انظر metadata.json).\n\n</div>\n\n\
         # Pack de données ouvertes — {name_fr} ({code})\n\n\
         - `{stem}.gpkg` : toutes les couches publiques (GeoPackage, EPSG:4326), pour QGIS et QField.\n\
         - `csv/` : un tableau par couche (UTF-8 avec BOM, géométrie en WKT dans la colonne wkt).\n\
         - `{stem}-iati.xml` : les projets au format IATI 2.03.\n\
         - `metadata.json` : licences, sources, dates et sens de chaque champ.\n\n## Couches\n\n{fr}\n\
         ## Licences et attribution\n\nCitez les sources en cas de réutilisation :\n\n{attr}\n",
        name_ar = area.name_ar,
        name_fr = area.name_fr,
        code = area.code,
        attr = attribution.iter().map(|a| format!("- {a}\n")).collect::<String>(),
    )
}
