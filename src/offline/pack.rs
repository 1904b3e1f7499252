//! The open-data pack of a commune or of the country: one zip holding a GeoPackage of every
//! public layer, a CSV a layer (UTF-8 with BOM), the IATI activity file, `metadata.json` and a
//! bilingual README. Rows are read through the features API's own public queries
//! (`features::read::query::page` with the anonymous caller), so the visibility rule and any
//! masking of locations apply here exactly as they apply to `/collections/{id}/items`.
use sqlx::PgPool;

use super::area::Area;
use crate::auth::Caller;
use crate::error::AppError;
use crate::features::read::{export, params, query};
use crate::layers::{self, Layer};

use export::WkbRow;
/// What the features API returns for one page of a CSV download.
type WktRow = (String, Option<String>, String);

/// One layer of the pack: its rows and the items query that selects them.
pub struct PackLayer {
    pub layer: &'static Layer,
    /// The `/collections/{id}/items` query string that selects the same rows (without paging).
    pub query: String,
    pub rows: Vec<WkbRow>,
    pub csv: String,
}

/// The items parameters that select `area`'s rows of `layer`: its own `municipality_code` when
/// the layer carries one, else everything meeting the commune's extent (`bbox`); nothing for
/// the country.
pub fn selection(layer: &Layer, area: &Area) -> params::Pairs {
    if area.is_national() {
        vec![]
    } else if layer.prop("municipality_code").is_some() {
        vec![("municipality_code".into(), area.code.clone())]
    } else {
        let [x1, y1, x2, y2] = area.bbox;
        vec![("bbox".into(), format!("{x1},{y1},{x2},{y2}"))]
    }
}

async fn pages<T>(
    pool: &PgPool,
    layer: &'static Layer,
    sel: &params::Pairs,
    out: query::GeomOut,
) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut rows = Vec::new();
    loop {
        let mut pairs = sel.clone();
        pairs.push(("limit".into(), params::MAX_LIMIT.to_string()));
        pairs.push(("offset".into(), rows.len().to_string()));
        let p = params::parse_items(layer, &pairs)?;
        let mut q = query::page(layer, &p, &Caller::Anonymous, out)?;
        let page: Vec<T> = q.build_query_as().fetch_all(pool).await?;
        let n = page.len();
        rows.extend(page);
        if (n as i64) < params::MAX_LIMIT {
            return Ok(rows);
        }
    }
}

/// Read every public layer of `area`, reporting each layer to `progress`.
pub async fn read(
    pool: &PgPool,
    area: &Area,
    progress: &(dyn Fn(&str, usize) + Sync),
) -> Result<Vec<PackLayer>, AppError> {
    let mut out = Vec::new();
    for layer in layers::collections() {
        let sel = selection(layer, area);
        let rows: Vec<WkbRow> = pages(pool, layer, &sel, query::GeomOut::Wkb).await?;
        let wkt: Vec<WktRow> = pages(pool, layer, &sel, query::GeomOut::Wkt).await?;
        let props: Vec<_> = layer.props.iter().collect();
        let mut csv = String::from('\u{feff}');
        csv.push_str(&export::csv(layer, &props, &wkt)?);
        progress(layer.id, rows.len());
        out.push(PackLayer {
            layer,
            query: serde_urlencoded::to_string(&sel).unwrap_or_default(),
            rows,
            csv,
        });
    }
    Ok(out)
}
