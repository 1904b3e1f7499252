//! Point-like sources thinned where they are dense, below a zoom (docs/scale.md, "Dense low
//! zooms"): the one mechanism of the `projects` and `proposals` tiles.
//!
//! It works on a layer's rows as encoded for the tile (`ST_AsMVTGeom`, tile pixels, filters and
//! the visibility rule already applied): each row falls in the 32-pixel cell holding a point on
//! its geometry (the same global grid in every tile, as tiles are 512 pixels); a cell holding at
//! most `max_single` rows (of one group of `keys`) keeps them as they are; a fuller cell becomes
//! one point at the centroid of its rows, with their count, the sums of `sums` and the values of
//! `keys`, and no id or other property. So a low-zoom tile holds at most `max_single` features a
//! cell and group, whatever the number of rows.
use sqlx::{Postgres, QueryBuilder};

/// Side of a cell in tile pixels (a 512-pixel tile: 16 × 16 cells).
pub const CELL_PX: u32 = 32;

pub struct Cluster {
    /// From this zoom every row is its own feature.
    pub below: u8,
    /// A cell (and group) with more rows than this is one point.
    pub max_single: u32,
    /// Fields a cluster groups on and carries.
    pub keys: &'static [&'static str],
    /// Integer fields a cluster sums.
    pub sums: &'static [&'static str],
    /// The field counting the rows a feature stands for (1 on each row).
    pub count: &'static str,
}

impl Cluster {
    /// Does zoom `z` cluster?
    pub fn applies(&self, z: u8) -> bool {
        z < self.below
    }

    /// Before the rows (`fid`, the fields, `geom` as encoded): opens their common table `r`.
    pub fn push_head(&self, qb: &mut QueryBuilder<'static, Postgres>) {
        qb.push("WITH r0 AS (");
    }

    /// After the rows: one feature a row of a sparse cell, one point a dense cell.
    pub fn push_tail(&self, qb: &mut QueryBuilder<'static, Postgres>, fields: &[&str]) {
        let keys: String = self.keys.iter().map(|k| format!(", r.\"{k}\"")).collect();
        qb.push(format!(
            "), r AS (SELECT r0.*, o.pt, floor(ST_X(o.pt) / {CELL_PX}) AS cx, \
             floor(ST_Y(o.pt) / {CELL_PX}) AS cy FROM r0, \
             LATERAL (SELECT ST_PointOnSurface(r0.geom) AS pt) o WHERE r0.geom IS NOT NULL), \
             n AS (SELECT r.*, count(*) OVER (PARTITION BY r.cx, r.cy{keys}) AS cell_rows FROM r) \
             SELECT n.fid"
        ));
        for f in fields {
            qb.push(format!(", n.\"{f}\""));
        }
        qb.push(format!(
            ", n.geom FROM n WHERE n.cell_rows <= {} UNION ALL SELECT NULL::bigint",
            self.max_single
        ));
        for &name in fields {
            if name == self.count {
                qb.push(format!(", count(*)::bigint AS \"{name}\""));
            } else if self.sums.contains(&name) {
                qb.push(format!(", sum(r.\"{name}\")::bigint AS \"{name}\""));
            } else if self.keys.contains(&name) {
                qb.push(format!(", r.\"{name}\""));
            } else {
                qb.push(format!(", NULL AS \"{name}\""));
            }
        }
        qb.push(format!(
            ", ST_SnapToGrid(ST_Centroid(ST_Collect(r.pt)), 1) AS geom FROM r \
             GROUP BY r.cx, r.cy{keys} HAVING count(*) > {}",
            self.max_single
        ));
    }
}
