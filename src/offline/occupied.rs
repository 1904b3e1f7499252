//! Which tiles of an archive can hold anything, decided without rendering: once per export, the
//! geometries the chosen sources read are cut into small indexed pieces (`sql/occupied.sql`, a
//! session table); then, zoom after zoom, only the tiles whose widened envelope meets a piece are
//! kept (`sql/candidates.sql`). A child tile's widened envelope lies inside its parent's, so the
//! children of a tile that meets nothing meet nothing either: each zoom tests only the four
//! children of the previous zoom's tiles.
use sqlx::{pool::PoolConnection, PgPool, Postgres};

use crate::tiles::Source;

/// The session holding `offline_occupied` (a temporary table: it lives and dies with it).
pub struct Ground(PoolConnection<Postgres>);

/// The most vertices of a piece of ground, for an archive up to `maxzoom`. Cutting is the cost of
/// coarse pieces, testing that of fine ones, and the deepest zooms hold most of the tests. Measured
/// nationally, every source (cut + descent, docs/offline.md): to z12, 64 vertices 11.4 s, 256
/// 7.6 s, 1024 3.9 s; to z14, 256 12.7 s and 1024 13.5 s.
pub fn vertices(maxzoom: u8) -> i32 {
    if maxzoom <= 12 {
        1024
    } else {
        256
    }
}

impl Ground {
    /// Cut and index the ground of `sources` for an archive up to `maxzoom`.
    pub async fn of(pool: &PgPool, sources: &[Source], maxzoom: u8) -> anyhow::Result<Ground> {
        let mut conn = pool.acquire().await?;
        let ids: Vec<&str> = sources.iter().map(|s| s.id()).collect();
        sqlx::raw_sql("DROP TABLE IF EXISTS offline_occupied")
            .execute(&mut *conn)
            .await?;
        sqlx::query(include_str!("sql/occupied.sql"))
            .bind(&ids)
            .bind(vertices(maxzoom))
            .execute(&mut *conn)
            .await?;
        sqlx::raw_sql("CREATE INDEX ON offline_occupied USING gist (g); ANALYZE offline_occupied")
            .execute(&mut *conn)
            .await?;
        Ok(Ground(conn))
    }

    /// Of `tiles` (of zoom `z`), those that meet the ground, in the same order.
    pub async fn keep(&mut self, z: u8, tiles: &[(u32, u32)]) -> anyhow::Result<Vec<(u32, u32)>> {
        let (xs, ys): (Vec<i32>, Vec<i32>) =
            tiles.iter().map(|&(x, y)| (x as i32, y as i32)).unzip();
        let rows: Vec<(i32, i32)> = sqlx::query_as(include_str!("sql/candidates.sql"))
            .bind(i32::from(z))
            .bind(xs)
            .bind(ys)
            .fetch_all(&mut *self.0)
            .await?;
        let met: std::collections::HashSet<(u32, u32)> = rows
            .into_iter()
            .map(|(x, y)| (x as u32, y as u32))
            .collect();
        Ok(tiles.iter().copied().filter(|t| met.contains(t)).collect())
    }
}

/// The tiles of zoom `z` to try, given those of zoom `z - 1` that met the ground (`None` at the
/// first zoom: the whole `grid`), kept within `grid` (the area's tiles at `z`).
pub fn children(parents: Option<&[(u32, u32)]>, grid: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let Some(parents) = parents else {
        return grid.to_vec();
    };
    let (x0, x1) = bounds(grid.iter().map(|t| t.0));
    let (y0, y1) = bounds(grid.iter().map(|t| t.1));
    parents
        .iter()
        .flat_map(|&(x, y)| {
            [
                (2 * x, 2 * y),
                (2 * x + 1, 2 * y),
                (2 * x, 2 * y + 1),
                (2 * x + 1, 2 * y + 1),
            ]
        })
        .filter(|&(x, y)| (x0..=x1).contains(&x) && (y0..=y1).contains(&y))
        .collect()
}

fn bounds(v: impl Iterator<Item = u32>) -> (u32, u32) {
    v.fold((u32::MAX, 0), |(lo, hi), a| (lo.min(a), hi.max(a)))
}
