//! Database access: the pool, migrations, and the embedded default cluster.
pub mod backup;
pub mod embedded;
pub mod functions;
pub mod listen;
pub mod replicas;

use std::time::Duration;

use sqlx::{postgres::PgPoolOptions, PgPool};

pub use embedded::Cluster;

/// The migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database the server uses, and the embedded cluster when it started one.
pub struct Database {
    pub pool: PgPool,
    /// Pools on the read replicas (`DATABASE_READ_URL`), connected on first use.
    pub replicas: Vec<PgPool>,
    pub url: String,
    pub cluster: Option<Cluster>,
}

impl Database {
    /// Use `database_url` when given; otherwise start (or reuse) the embedded cluster in `data_dir`.
    pub async fn open(args: &crate::config::DbArgs) -> anyhow::Result<Self> {
        let (url, cluster) = match args.database_url.as_deref() {
            Some(url) => (url.to_string(), None),
            None => {
                let dir = args.data_dir.clone();
                let bindir = args.pg_bindir.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    Cluster::start_with(&dir, bindir.as_deref())
                })
                .await??;
                ensure_database(&cluster).await?;
                (cluster.url(embedded::DB_NAME), Some(cluster))
            }
        };
        let wait = Duration::from_secs(args.db_acquire_timeout.max(1));
        let pool = pool_with(&url, args.db_pool, wait).await?;
        let replicas = args
            .database_read_url
            .iter()
            .filter(|u| !u.trim().is_empty())
            // a replica that cannot hand out a connection quickly is left out for that read (it
            // is served again from elsewhere: db::replicas), never waited on for long
            .map(|u| lazy_pool(u.trim(), args.db_pool, replicas::PROBE_TIMEOUT.min(wait)))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            pool,
            replicas,
            url,
            cluster,
        })
    }

    /// Close the pool and stop the embedded cluster if this process owns it.
    pub async fn close(self) {
        self.pool.close().await;
        for r in &self.replicas {
            r.close().await;
        }
        if let Some(c) = self.cluster {
            if let Err(e) = tokio::task::spawn_blocking(move || c.stop()).await {
                tracing::warn!(error = %e, "could not stop the embedded database");
            }
        }
    }
}

/// Settings of every session this binary opens (server and importer alike): a backend notices
/// within 2 s that its client is gone even in the middle of a long statement (a killed import
/// releases its locks), and a transaction left idle by a hung client ends after 60 s.
pub const SESSION_OPTIONS: &[(&str, &str)] = &[
    ("client_connection_check_interval", "2s"),
    ("idle_in_transaction_session_timeout", "60s"),
];

/// How long a request waits for a connection by default (`--db-acquire-timeout`).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool with sane timeouts. Connections are re-established by themselves when the database returns.
pub async fn pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    pool_with(url, max_connections, ACQUIRE_TIMEOUT).await
}

/// [`pool`] whose callers wait up to `acquire` for a connection.
pub async fn pool_with(
    url: &str,
    max_connections: u32,
    acquire: Duration,
) -> Result<PgPool, sqlx::Error> {
    pool_options(max_connections, acquire)
        .connect_with(connect_options(url)?)
        .await
}

/// [`pool_with`] without connecting now: a replica that is down at start is used once it answers.
pub fn lazy_pool(
    url: &str,
    max_connections: u32,
    acquire: Duration,
) -> Result<PgPool, sqlx::Error> {
    Ok(pool_options(max_connections, acquire).connect_lazy_with(connect_options(url)?))
}

fn connect_options(url: &str) -> Result<sqlx::postgres::PgConnectOptions, sqlx::Error> {
    use sqlx::ConnectOptions;
    Ok(url
        .parse::<sqlx::postgres::PgConnectOptions>()?
        .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(10))
        .options(SESSION_OPTIONS.iter().copied()))
}

fn pool_options(max_connections: u32, acquire: Duration) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(0)
        .acquire_timeout(acquire)
        .idle_timeout(Duration::from_secs(300))
}

/// Apply the migrations, then the current text of every database function (idempotent).
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    use anyhow::Context;
    MIGRATOR.run(pool).await.context("running the migrations")?;
    functions::apply(pool)
        .await
        .context("applying the database functions (db/functions)")?;
    Ok(())
}

async fn ensure_database(cluster: &Cluster) -> anyhow::Result<()> {
    create_database_if_missing(&cluster.url("postgres"), embedded::DB_NAME, None).await
}

/// `CREATE DATABASE name [TEMPLATE t]` unless it exists. `name` and `template` are our own constants
/// or test-generated identifiers, quoted all the same.
pub async fn create_database_if_missing(
    admin_url: &str,
    name: &str,
    template: Option<&str>,
) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        let mut sql = format!("CREATE DATABASE {}", quote_ident(name));
        if let Some(t) = template {
            sql.push_str(&format!(" TEMPLATE {}", quote_ident(t)));
        }
        sqlx::query(&sql).execute(&mut conn).await?;
    }
    conn.close().await?;
    Ok(())
}

/// Quote an SQL identifier (double quotes doubled).
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes() {
        assert_eq!(super::quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
