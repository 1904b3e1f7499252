//! What writes of the two area tables share (land-use zones, participation zones): a row whose
//! ETag is the digest of the row, a Polygon or MultiPolygon geometry that cannot be removed, and
//! the same lock, update and delete steps. Each table's own rules (classes, layers, communes)
//! stay in its file.
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};

use super::sql::{self, constraint, Val};
use super::Input;
use crate::auth::Caller;
use crate::features::{FResult, FeaturesError};
use crate::projects::rules;

const TYPES: &[&str] = &["POLYGON", "MULTIPOLYGON"];

/// One area table: its name (a constant, never input) and what its rows are called in messages.
pub struct Area {
    pub table: &'static str,
    pub what: &'static str,
}

impl Area {
    /// The geometry a new row needs.
    pub fn new_geometry<'a>(&self, input: &'a Input) -> FResult<&'a str> {
        match &input.geometry {
            Some(Some(g)) => Ok(g),
            _ => Err(FeaturesError::Invalid(format!(
                "a {} needs a Polygon or MultiPolygon geometry",
                self.what
            ))),
        }
    }

    /// The geometry an update sets (None: a PATCH that leaves it as it is).
    pub fn changed_geometry<'a>(&self, input: &'a Input, patch: bool) -> FResult<Option<&'a str>> {
        match (&input.geometry, patch) {
            (Some(Some(g)), _) => Ok(Some(g)),
            (Some(None), _) | (None, false) => Err(FeaturesError::Invalid(format!(
                "a {} cannot lose its geometry",
                self.what
            ))),
            (None, true) => Ok(None),
        }
    }

    /// Start a write.
    pub async fn begin(&self, pool: &PgPool) -> FResult<Transaction<'static, Postgres>> {
        rules::write_tx(pool)
            .await
            .map_err(FeaturesError::db("starting an area write"))
    }

    /// Check a geometry this write sets.
    pub async fn check(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        geometry: &str,
        input: &Input,
    ) -> FResult<()> {
        sql::check_geometry(tx, geometry, input.crs, TYPES).await
    }

    /// Commit the write and log it (`done`: created, changed, deleted).
    pub async fn commit(
        &self,
        tx: Transaction<'static, Postgres>,
        who: &Caller,
        id: i64,
        done: &str,
    ) -> FResult<()> {
        rules::commit(tx)
            .await
            .map_err(FeaturesError::db("committing an area write"))?;
        tracing::info!(zone = id, author = %who.author(), "{} {done} through OGC API", self.what);
        Ok(())
    }

    /// Lock row `id` and check it is still the version the caller read.
    async fn lock(
        &self,
        tx: &mut Transaction<'_, Postgres>,
        id: i64,
        expected: &str,
    ) -> FResult<()> {
        let now: Option<String> = sqlx::query_scalar(&format!(
            "SELECT md5(t::text) FROM {} t WHERE t.id = $1 FOR UPDATE",
            self.table
        ))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(FeaturesError::db("locking an area row"))?;
        if now.as_deref() != Some(expected) {
            return Err(sql::stale());
        }
        Ok(())
    }

    /// Set `cols` (and the geometry, when given) on row `id`, still at version `expected`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update(
        &self,
        pool: &PgPool,
        who: &Caller,
        id: i64,
        expected: &str,
        input: &Input,
        geometry: Option<&str>,
        cols: &[(&str, Val)],
    ) -> FResult<()> {
        let mut tx = self.begin(pool).await?;
        self.lock(&mut tx, id, expected).await?;
        let mut qb = QueryBuilder::new(format!("UPDATE {} SET id = id", self.table));
        if let Some(g) = geometry {
            self.check(&mut tx, g, input).await?;
            qb.push(", geom = ST_Multi(");
            sql::push_geom_in(&mut qb, g, input.crs);
            qb.push(")");
        }
        sql::push_sets(&mut qb, cols);
        qb.push(" WHERE id = ").push_bind(id);
        qb.build()
            .execute(&mut *tx)
            .await
            .map_err(constraint("updating an area row"))?;
        self.commit(tx, who, id, "changed").await
    }

    /// Delete row `id`, still at version `expected`.
    pub async fn delete(
        &self,
        pool: &PgPool,
        who: &Caller,
        id: i64,
        expected: &str,
    ) -> FResult<()> {
        let mut tx = self.begin(pool).await?;
        self.lock(&mut tx, id, expected).await?;
        sqlx::query(&format!("DELETE FROM {} WHERE id = $1", self.table))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(constraint("deleting an area row"))?;
        self.commit(tx, who, id, "deleted").await
    }
}
