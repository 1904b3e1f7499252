//! The one place that builds items SQL (with `QueryBuilder`): identifiers and expressions come
//! from the catalog, values are bound.
use sqlx::{Postgres, QueryBuilder};

use super::crs::Crs;
use super::filter::{self, bind_literal};
use super::params::{ItemsParams, SortKey};
use crate::auth::Caller;
use crate::features::scope::{is_anonymous, project_visibility, push_scoped};
use crate::features::FeaturesError;
use crate::layers::{Layer, PType, Prop};

/// How the geometry comes out of the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomOut {
    /// GeoJSON text in the output CRS, authority axis order.
    GeoJson,
    /// WKT in the output CRS, authority axis order (CSV).
    Wkt,
    /// WKB in the output CRS, GIS axis order (files: GeoPackage, FlatGeobuf store x/y).
    Wkb,
}

/// Push the geometry expression transformed to `crs`.
/// Project geometries are the caller's: exact or masked (`mk_location_geom`, docs/disclosure.md).
fn push_geom_out(
    qb: &mut QueryBuilder<'_, Postgres>,
    coll: &'static Layer,
    crs: &Crs,
    out: GeomOut,
    who: &Caller,
) {
    if out == GeomOut::GeoJson && crs.srid == 4326 && !crs.lat_first {
        // CRS84 GeoJSON: the stored text, when the registry keeps one this caller reads
        if let Some(stored) = coll.geojson.filter(|_| !coll.scoped || is_anonymous(who)) {
            qb.push(stored);
            return;
        }
    }
    let flip = crs.lat_first && out != GeomOut::Wkb;
    match out {
        GeomOut::GeoJson => qb.push("ST_AsGeoJSON("),
        GeomOut::Wkt => qb.push("ST_AsText("),
        GeomOut::Wkb => qb.push("ST_AsBinary("),
    };
    if flip {
        qb.push("ST_FlipCoordinates(");
    }
    if crs.srid != 4326 {
        qb.push("ST_Transform(");
    }
    push_scoped(qb, coll.geom, who);
    if crs.srid != 4326 {
        qb.push(", ").push(crs.srid.to_string()).push(")");
    }
    if flip {
        qb.push(")");
    }
    match out {
        GeomOut::GeoJson => qb.push(if crs.geographic { ", 7)" } else { ", 2)" }),
        GeomOut::Wkt => qb.push(if crs.geographic { ", 7)" } else { ", 2)" }),
        GeomOut::Wkb => qb.push(")"),
    };
}

/// `json_build_object(...)` of the chosen properties, as text.
fn push_props(qb: &mut QueryBuilder<'_, Postgres>, props: &[&'static Prop]) {
    qb.push("json_build_object(");
    for (i, p) in props.iter().enumerate() {
        if i > 0 {
            qb.push(", ");
        }
        qb.push("'").push(p.name).push("', ").push(p.sql);
    }
    qb.push(")::text");
}

/// The conditions: base, visibility, bbox, datetime, property equality, CQL2 filter.
pub fn push_where(
    qb: &mut QueryBuilder<'_, Postgres>,
    coll: &'static Layer,
    p: &ItemsParams,
    who: &Caller,
) -> Result<(), FeaturesError> {
    qb.push(" WHERE ").push(coll.base_where);
    if coll.scoped {
        qb.push(" AND ");
        project_visibility(qb, who, "t");
    }
    if let Some([x1, y1, x2, y2]) = p.bbox {
        qb.push(" AND ");
        // a scalar subquery: computed once per execution (an InitPlan), where the bare
        // expression over bound values was rebuilt for every row the filter rechecks
        let env = |qb: &mut QueryBuilder<'_, Postgres>| {
            qb.push("(SELECT ST_Transform(ST_MakeEnvelope(")
                .push_bind(x1)
                .push(", ")
                .push_bind(y1)
                .push(", ")
                .push_bind(x2)
                .push(", ")
                .push_bind(y2)
                .push(", ")
                .push_bind(p.bbox_crs.srid)
                .push("), 4326))");
        };
        if !coll.geom_is_project_locations() {
            // the registry's expression, as an anonymous caller sees it (masked locations
            // stay masked in a filter)
            qb.push("ST_Intersects(").push(coll.geom).push(", ");
            env(qb);
            qb.push(")");
        } else {
            // projects: any location's public geometry intersects (filters read what anyone may
            // see, or a box could be narrowed down onto a masked location; docs/disclosure.md)
            qb.push("EXISTS (SELECT 1 FROM project_location bl WHERE bl.project_id = t.id AND ST_Intersects(bl.public_geom, ");
            env(qb);
            qb.push("))");
        }
    }
    if let (Some((start, end)), Some((s_sql, e_sql))) = (p.datetime, coll.temporal) {
        // the feature's span [s, e] meets the requested interval
        if let Some(end) = end {
            qb.push(" AND ").push(s_sql).push(" <= ").push_bind(end);
        }
        if let Some(start) = start {
            qb.push(" AND (")
                .push(e_sql)
                .push(" IS NULL OR ")
                .push(e_sql)
                .push(" >= ")
                .push_bind(start)
                .push(")");
        }
        if start.is_none() && end.is_none() {
            qb.push(" AND ").push(s_sql).push(" IS NOT NULL");
        }
    }
    for (prop, value) in &p.eq {
        qb.push(" AND ").push(prop.sql).push(" = ");
        bind_literal(qb, value, Some(prop.ty))
            .map_err(|e| FeaturesError::BadParam(format!("{}={value}: {}", prop.name, e.0)))?;
    }
    if let Some(expr) = &p.filter {
        qb.push(" AND ");
        filter::push(qb, coll, p.filter_crs, expr)
            .map_err(|e| FeaturesError::BadParam(format!("filter: {}", e.0)))?;
    }
    Ok(())
}

/// `SELECT count(*)` of the matching features.
pub fn count(
    coll: &'static Layer,
    p: &ItemsParams,
    who: &Caller,
) -> Result<QueryBuilder<'static, Postgres>, FeaturesError> {
    let mut qb = QueryBuilder::new("SELECT count(*) FROM ");
    qb.push(coll.table);
    push_where(&mut qb, coll, p, who)?;
    Ok(qb)
}

/// The selected properties (all unless `properties=` narrowed them).
pub fn selected(coll: &'static Layer, p: &ItemsParams) -> Vec<&'static Prop> {
    p.properties
        .clone()
        .unwrap_or_else(|| coll.props.iter().collect())
}

/// A page of features: `(fid text, geometry, properties json text)`.
pub fn page(
    coll: &'static Layer,
    p: &ItemsParams,
    who: &Caller,
    out: GeomOut,
) -> Result<QueryBuilder<'static, Postgres>, FeaturesError> {
    let mut qb = QueryBuilder::new("SELECT ");
    qb.push(coll.fid).push("::text, ");
    push_geom_out(&mut qb, coll, p.crs, out, who);
    qb.push(", ");
    push_props(&mut qb, &selected(coll, p));
    qb.push(" FROM ").push(coll.table);
    push_where(&mut qb, coll, p, who)?;
    qb.push(" ORDER BY ");
    for (key, desc) in &p.sortby {
        match key {
            SortKey::Fid => qb.push(coll.fid),
            SortKey::Prop(prop) => qb.push(prop.sql),
        };
        qb.push(if *desc {
            " DESC NULLS LAST, "
        } else {
            " ASC NULLS LAST, "
        });
    }
    qb.push(coll.fid);
    qb.push(" LIMIT ")
        .push_bind(p.limit)
        .push(" OFFSET ")
        .push_bind(p.offset);
    Ok(qb)
}

/// One feature by id (visibility applies): `(fid, geometry, properties, etag)`.
pub fn one(
    coll: &'static Layer,
    fid: &str,
    crs: &Crs,
    who: &Caller,
) -> Result<QueryBuilder<'static, Postgres>, FeaturesError> {
    let mut qb = QueryBuilder::new("SELECT ");
    qb.push(coll.fid).push("::text, ");
    push_geom_out(&mut qb, coll, crs, GeomOut::GeoJson, who);
    qb.push(", ");
    push_props(&mut qb, &coll.props.iter().collect::<Vec<_>>());
    qb.push(", ").push(etag_sql(coll));
    qb.push(" FROM ")
        .push(coll.table)
        .push(" WHERE ")
        .push(coll.base_where);
    qb.push(" AND ").push(coll.fid).push(" = ");
    push_fid(&mut qb, coll, fid)?;
    if coll.scoped {
        qb.push(" AND ");
        project_visibility(&mut qb, who, "t");
    }
    Ok(qb)
}

/// The ETag of a row: the revision for projects, a digest of the row for other tables.
pub fn etag_sql(coll: &Layer) -> &'static str {
    if coll.id == "projects" {
        "('p' || t.id || '-r' || t.revision)"
    } else {
        "md5(t::text)"
    }
}

/// Bind a feature id of the collection's type; an id that cannot exist is a 404.
pub fn push_fid(
    qb: &mut QueryBuilder<'_, Postgres>,
    coll: &Layer,
    fid: &str,
) -> Result<(), FeaturesError> {
    match coll.fid_type {
        PType::Int => {
            let n: i64 = fid
                .parse()
                .map_err(|_| FeaturesError::NoFeature(coll.id, fid.to_string()))?;
            qb.push_bind(n);
        }
        _ => {
            qb.push_bind(fid.to_string());
        }
    }
    Ok(())
}
