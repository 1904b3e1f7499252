//! Vector tiles: sources, SQL, generalisation, cache and invalidation, TileJSON, OGC API – Tiles,
//! and the styles, glyphs and sprites that draw them.
//!
//! - `GET /tiles` — catalog; `GET /tiles/{sources}` (also `.json`, `/metadata.json`) — TileJSON 3.0.0;
//!   `GET /tiles/{sources}/{z}/{x}/{y}[.pbf|.mvt]` — a tile, one layer per source (`sources` is one
//!   id or a comma-separated composite such as `municipalities,projects`).
//! - `GET /collections/{id}/tiles[/WebMercatorQuad[/{z}/{y}/{x}]]` — OGC API – Tiles.
//! - `GET /styles`, `/styles/{id}.json` (`?lang=ar|fr`), `/styles/sprites/…`, `/fonts/{stack}/{range}.pbf`.
//!
//! Encoding is done by PostGIS (`ST_AsMVT`) from the EPSG:3857 columns, generalised per zoom band
//! by the database (migrations/0002_tiles.sql). Tiles are cached in memory and dropped exactly when
//! the database says the rows under them changed (`listen.rs`).
pub mod branch;
pub mod cache;
pub mod cells;
pub mod cluster;
pub mod error;
pub mod filter;
mod glyphs;
mod handlers;
pub mod listen;
mod locations;
mod meta;
pub mod scope;
pub mod source;
mod sprites;
pub mod sql;
pub mod styles;
pub mod versions;

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::FromRef,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sha2::{Digest, Sha256};

pub use cache::{CacheStats, Tile, TileCache, TileKey};
pub use error::TileError;
pub use filter::TileFilters;
pub use handlers::parse_layers;
pub use meta::qgis_html as qgis_connections_html;
pub use meta::tilejson_value;
pub use scope::TileScope;
pub use source::Source;

use sqlx::PgPool;

use crate::{
    auth::KeyStore,
    config::Settings,
    db::replicas::{self, Reads},
    routes::route_table,
};

/// Everything the tile routes share: the pool, the cache, the rendered glyphs and sprites.
pub struct TileService {
    reads: Arc<Reads>,
    pub cache: Arc<TileCache>,
    glyphs: glyphs::Glyphs,
    sprites: sprites::Sprites,
}

impl TileService {
    /// A service reading through `reads` with a cache of `cache_bytes`; starts its change listener.
    pub fn new(reads: Arc<Reads>, cache_bytes: u64) -> Arc<Self> {
        let cache = Arc::new(TileCache::with_catch_up(
            cache_bytes,
            reads.primary().clone(),
        ));
        listen::start(&reads, &cache);
        versions::spawn_prune(reads.primary().clone());
        Arc::new(Self {
            reads,
            cache,
            glyphs: glyphs::Glyphs::default(),
            sprites: sprites::Sprites::default(),
        })
    }

    /// One tile (cached, or encoded by PostGIS).
    pub async fn tile(
        &self,
        sources: &[Source],
        z: u8,
        x: u32,
        y: u32,
        filters: &TileFilters,
        scope: &TileScope,
    ) -> Result<Arc<Tile>, TileError> {
        let key = TileKey {
            layers: Source::order_of(sources),
            mask: sources.iter().fold(0, |m, s| m | s.bit()),
            z,
            x,
            y,
            filter: filters.key.as_str().into(),
            scope: scope.key().into_boxed_str(),
        };
        let q = sql::TileQuery {
            sources,
            z,
            x,
            y,
            filters,
            scope,
        };
        // the pool is picked when the tile is computed, after the cache noted where it starts: a
        // replica behind a change heard since is not used (db::replicas)
        self.cache
            .get_or_compute(key, || self.encode(&q, self.reads.pick_tiles()))
            .await
    }

    /// One tile from the primary, past the cache: for a request naming a data version this
    /// instance has not heard of yet (`versions.rs`).
    pub async fn tile_from_primary(
        &self,
        sources: &[Source],
        (z, x, y): (u8, u32, u32),
        filters: &TileFilters,
        scope: &TileScope,
    ) -> Result<Arc<Tile>, TileError> {
        let q = sql::TileQuery {
            sources,
            z,
            x,
            y,
            filters,
            scope,
        };
        Ok(Arc::new(
            self.encode(&q, self.reads.primary_tiles().clone()).await?,
        ))
    }

    async fn encode(&self, q: &sql::TileQuery<'_>, pool: PgPool) -> Result<Tile, TileError> {
        let started = std::time::Instant::now();
        // tile sessions are not pinged before use: when the one taken turns out closed by the
        // server, the tile is asked again on a session that answers (db::replicas::live_session)
        let raw: Vec<u8> = match sql::build(q).build_query_scalar().fetch_one(&pool).await {
            Err(e) if replicas::is_broken(&e) => {
                let mut live = replicas::live_session(&pool).await?;
                sql::build(q)
                    .build_query_scalar()
                    .fetch_one(&mut *live)
                    .await?
            }
            r => r?,
        };
        metrics::histogram!("mokhattat_tile_db_seconds").record(started.elapsed().as_secs_f64());
        Ok(encode(raw))
    }
}

/// Compress and fingerprint an encoded tile.
fn encode(raw: Vec<u8>) -> Tile {
    use std::io::Write;
    let digest = Sha256::digest(&raw);
    let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
    // hex digits and quotes: always a valid header value
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("W/\"0\""));
    let gz = if raw.is_empty() {
        Vec::new()
    } else {
        let mut enc = flate2::write::GzEncoder::new(
            Vec::with_capacity(raw.len() / 2),
            flate2::Compression::new(6),
        );
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    };
    Tile {
        raw: Bytes::from(raw),
        gz: Bytes::from(gz),
        etag,
    }
}

/// A style asset (glyphs, sprite sheets) that clients may keep for a day.
fn day_cached(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// The routes of the capability, for any router state that hands out the service (started with the
/// application, `AppState::start`), the settings and the key store.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Arc<TileService>: FromRef<S>,
    Arc<Settings>: FromRef<S>,
    KeyStore: FromRef<S>,
{
    route_table! {
        "/tiles" => get(meta::catalog),
        "/tiles/{layers}" => get(meta::tilejson),
        "/tiles/{layers}/metadata.json" => get(meta::tilejson),
        "/tiles/{layers}/{z}/{x}/{y}" => get(handlers::tile),
        "/collections/{id}/tiles" => get(meta::ogc_tilesets),
        "/collections/{id}/tiles/WebMercatorQuad" => get(meta::ogc_tileset),
        "/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}" => get(handlers::tile),
        "/styles" => get(styles::list),
        "/styles/{file}" => get(styles::style),
        "/styles/sprites/{file}" => get(sprites::serve),
        "/fonts/{stack}/{range}" => get(glyphs::serve),
    }
}
