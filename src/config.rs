//! The only place that reads the environment and the command line.
use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand};

mod basemap;
mod export;
pub use basemap::{Basemap, BasemapArgs, BASEMAP_ARCHIVE_PATH};
pub use export::{ExportCommand, IatiExportArgs, PackArgs, TileArchive, TilesArgs};

#[derive(Debug, Parser)]
#[command(
    name = "mokhattat",
    version,
    about = "Mokhattat (مخطط) — spatial server for territorial planning in Tunisia"
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// PostgreSQL/PostGIS URL. Unset: Mokhattat starts and owns a private cluster in the data dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Streaming replicas for reads, comma-separated (round-robin among the healthy, caught-up ones;
    /// the primary otherwise). See docs/scale.md.
    #[arg(
        long,
        env = "DATABASE_READ_URL",
        global = true,
        hide_env_values = true,
        value_delimiter = ','
    )]
    pub database_read_url: Vec<String>,
    /// Where the embedded database and other state live.
    #[arg(
        long,
        env = "MOKHATTAT_DATA_DIR",
        default_value = ".mokhattat",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Maximum database connections in the pool.
    #[arg(long, env = "MOKHATTAT_DB_POOL", default_value_t = 16, global = true)]
    pub db_pool: u32,
    /// Seconds a request waits for a free database connection before it is answered 503 (retry).
    #[arg(
        long,
        env = "MOKHATTAT_DB_ACQUIRE_TIMEOUT",
        default_value_t = 5,
        global = true
    )]
    pub db_acquire_timeout: u64,
    /// PostgreSQL server binaries for the embedded database (default: `pg_config --bindir`, else the
    /// newest /usr/lib/postgresql/*/bin).
    #[arg(long, env = "MOKHATTAT_PG_BINDIR", global = true)]
    pub pg_bindir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (starts the embedded database and loads the sample data on first start).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Import a GIS file (anything GDAL reads) into Mokhattat.
    Import(crate::import::ImportArgs),
    /// Write a file for other systems (IATI activity XML).
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: crate::auth::KeysCommand,
    },
    /// Start the embedded database in the foreground of nothing: print its URL and leave it running.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Start (or reuse) the embedded cluster and print its DATABASE_URL.
    Start,
    /// Stop the embedded cluster.
    Stop,
    /// Print the URL of the embedded cluster.
    Url,
    /// Make (first time) and start a streaming replica of a primary in the data dir, and print its
    /// URL (for DATABASE_READ_URL). See docs/scale.md.
    Replica {
        /// The primary: a role with REPLICATION (e.g. the output of `mokhattat db url`).
        #[arg(long = "from", hide_env_values = true)]
        from: String,
        /// Delay replay by this many milliseconds (to try a lagging replica).
        #[arg(long, default_value_t = 0)]
        apply_delay_ms: u64,
    },
    /// Make the replica in the data dir a primary of its own (restoring a base backup: `db replica`
    /// then `db promote`), and print its URL. See docs/deploy.md.
    Promote,
    /// Write the whole database (DATABASE_URL, else the embedded one) to a backup file
    /// (pg_dump, custom format). See docs/deploy.md.
    Backup {
        /// The file to write (written as FILE.partial, renamed when complete).
        #[arg(long)]
        to: PathBuf,
    },
    /// Load a backup file into an empty database (DATABASE_URL, else the embedded one), in one
    /// transaction. See docs/deploy.md.
    Restore {
        /// A file written by `mokhattat db backup`.
        #[arg(long = "from")]
        from: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MOKHATTAT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Public base URL used in links (defaults to http://<listen>).
    #[arg(long, env = "MOKHATTAT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Origins allowed by CORS (comma separated); `*` allows any. Empty: same-origin only.
    #[arg(long, env = "MOKHATTAT_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Seconds before a request is abandoned with 503.
    #[arg(long, env = "MOKHATTAT_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Do not load the sample data into an empty database.
    #[arg(long, env = "MOKHATTAT_NO_SAMPLE")]
    pub no_sample: bool,
    /// Directory holding the sample data and its manifest.
    #[arg(long, env = "MOKHATTAT_SAMPLE_DIR", default_value = "sample-data")]
    pub sample_dir: PathBuf,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "MOKHATTAT_LOG_JSON")]
    pub log_json: bool,
    /// Extra query parameters OGC API endpoints accept and ignore (comma separated): QGIS and GDAL
    /// repeat whatever the user put in the connection URL, such as an API key, on every request.
    #[arg(
        long,
        env = "MOKHATTAT_ALLOW_QUERY_PARAMS",
        value_delimiter = ',',
        default_value = "api_key"
    )]
    pub allow_query_params: Vec<String>,
    /// Memory for the in-memory vector tile cache, in MiB (0 disables it).
    #[arg(long, env = "MOKHATTAT_TILE_CACHE_MB", default_value_t = 256)]
    pub tile_cache_mb: u64,
    /// Memory for cached anonymous OGC API – Features answers, in MiB (0 disables it).
    #[arg(long, env = "MOKHATTAT_FEATURES_CACHE_MB", default_value_t = 64)]
    pub features_cache_mb: u64,
    /// Seconds a client has to send a request's headers (HTTP/1.1), counted from when the server
    /// starts waiting for them; a slower client is disconnected (slow-loris defence).
    #[arg(long, env = "MOKHATTAT_HEADER_READ_TIMEOUT", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: u64,
    /// Seconds a connection may stay open with no request in flight and no bytes moving before the
    /// server closes it.
    #[arg(long, env = "MOKHATTAT_IDLE_TIMEOUT", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Most client connections open at once; further clients wait in the listen backlog until one
    /// closes.
    #[arg(long, env = "MOKHATTAT_MAX_CONNECTIONS", default_value_t = 1024,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Writes an anonymous client (one IP address) may make per minute, on average (0: no limit).
    /// Key holders are not limited.
    #[arg(long, env = "MOKHATTAT_RATE_LIMIT_PER_MINUTE", default_value_t = 30)]
    pub rate_limit_per_minute: u32,
    /// Writes an anonymous client may make in a burst before the per-minute rate applies.
    #[arg(long, env = "MOKHATTAT_RATE_LIMIT_BURST", default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_burst: u32,
    /// Take the client address from the right-most `X-Forwarded-For` hop (only behind a reverse
    /// proxy that appends it; otherwise clients could choose their own address).
    #[arg(long, env = "MOKHATTAT_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    #[command(flatten)]
    pub basemap: BasemapArgs,
}

impl ServeArgs {
    pub fn base_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn conn_limits(&self) -> ConnLimits {
        ConnLimits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_connections: self.max_connections,
        }
    }
}

/// Bounds on client connections, as the serving loop (`web::server::run`) applies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnLimits {
    /// Time a client has to send a request's headers (HTTP/1.1).
    pub header_read_timeout: Duration,
    /// Time a connection may stay with no request in flight and no traffic.
    pub idle_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: u32,
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// The per-IP limit on anonymous writes (`web::rate_limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Average requests per minute; 0 disables the limit.
    pub per_minute: u32,
    /// Requests allowed in a burst (the bucket's size).
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_minute: 30,
            burst: 10,
        }
    }
}

/// Runtime settings the HTTP layer needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub base_url: String,
    pub cors_origins: Vec<String>,
    pub request_timeout: std::time::Duration,
    /// Extra query parameters the OGC API endpoints accept (see `ServeArgs::allow_query_params`).
    pub allowed_query_params: Vec<String>,
    /// Bytes of memory for the vector tile cache (0: no cache).
    pub tile_cache_bytes: u64,
    pub features_cache_bytes: u64,
    /// The per-IP limit on anonymous writes.
    pub rate_limit: RateLimit,
    /// Client address from the right-most `X-Forwarded-For` hop instead of the TCP peer.
    pub trust_forwarded_for: bool,
    /// What the map viewer draws under the data.
    pub basemap: Basemap,
    /// A local PMTiles basemap file, served at `BASEMAP_ARCHIVE_PATH` with HTTP Range.
    pub basemap_archive: Option<PathBuf>,
}

impl Settings {
    /// Fails when a basemap setting cannot work (e.g. a missing PMTiles file).
    pub fn from_serve(args: &ServeArgs) -> anyhow::Result<Self> {
        Ok(Self {
            base_url: args.base_url(),
            cors_origins: args
                .cors_origins
                .iter()
                .filter(|o| !o.is_empty())
                .cloned()
                .collect(),
            request_timeout: std::time::Duration::from_secs(args.request_timeout),
            allowed_query_params: args
                .allow_query_params
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            tile_cache_bytes: args.tile_cache_mb.saturating_mul(1024 * 1024),
            features_cache_bytes: args.features_cache_mb.saturating_mul(1024 * 1024),
            rate_limit: RateLimit {
                per_minute: args.rate_limit_per_minute,
                burst: args.rate_limit_burst,
            },
            trust_forwarded_for: args.trust_forwarded_for,
            basemap: args.basemap.basemap()?,
            basemap_archive: args.basemap.basemap_pmtiles.clone(),
        })
    }

    /// Settings for tests and embedding.
    pub fn for_base_url(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            cors_origins: vec![],
            request_timeout: std::time::Duration::from_secs(30),
            allowed_query_params: vec!["api_key".into()],
            tile_cache_bytes: 64 * 1024 * 1024,
            features_cache_bytes: 64 * 1024 * 1024,
            rate_limit: RateLimit::default(),
            trust_forwarded_for: false,
            basemap: Basemap::Builtin,
            basemap_archive: None,
        }
    }
}

/// A database URL with the password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_password() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
    }
}
