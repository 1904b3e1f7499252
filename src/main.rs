use std::{process::ExitCode, time::Duration};

use anyhow::Context;
use clap::Parser;
use mokhattat::{
    config::{redact_url, Cli, Command, DbArgs, DbCommand, ServeArgs, Settings},
    db::{self, Database},
    AppState,
};
use tracing_subscriber::{fmt, EnvFilter};

/// mimalloc: the request path allocates many small short-lived values (headers, keys, futures);
/// glibc's malloc and free were 18 % of the warm-tile profile (docs/scale.md, "Hot paths").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = matches!(&cli.command, Command::Serve(a) if a.log_json);
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let db_args = cli.db;
    let open = || async {
        let db = Database::open(&db_args)
            .await
            .context("opening the database")?;
        db::migrate(&db.pool).await.context("applying migrations")?;
        anyhow::Ok(db)
    };
    match cli.command {
        // settings first (left to right): a wrong basemap file stops before the database
        Command::Serve(args) => serve(Settings::from_serve(&args)?, args, open().await?).await,
        Command::Migrate => {
            let db = open().await?;
            println!("migrations applied");
            db.close().await;
            Ok(())
        }
        Command::Import(args) => {
            let db = open().await?;
            let result = if args.target == mokhattat::import::Target::Iati {
                mokhattat::iati::cli::run_import(&db.pool, &args).await
            } else {
                mokhattat::import::run_cli(&db.pool, &args).await
            };
            db.close().await;
            result.map(|_| ())
        }
        Command::Export { command } => {
            let db = open().await?;
            let result = mokhattat::offline::cli::run(&db.pool, command).await;
            db.close().await;
            result
        }
        Command::Keys { command } => {
            let db = open().await?;
            let result = mokhattat::auth::run_keys(&db.pool, command).await;
            db.close().await;
            result
        }
        Command::Db { command } => db_command(&db_args, command).await,
    }
}

/// Opens the database as it is (no migration), runs `f` on it and closes it whatever `f` answered.
async fn on_database(
    db_args: &DbArgs,
    f: impl AsyncFnOnce(&Database) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let db = Database::open(db_args)
        .await
        .context("opening the database")?;
    let result = f(&db).await;
    db.close().await;
    result
}

/// `mokhattat db …`: the embedded cluster (start, url, stop, replica) and backups of the database.
async fn db_command(db_args: &DbArgs, command: DbCommand) -> anyhow::Result<()> {
    // backups and restores work on DATABASE_URL too; the cluster commands only on the embedded one
    let any_db = matches!(
        command,
        DbCommand::Backup { .. } | DbCommand::Restore { .. }
    );
    anyhow::ensure!(
        db_args.database_url.is_none() || any_db,
        "`mokhattat db` manages the embedded database; unset DATABASE_URL"
    );
    match command {
        DbCommand::Backup { to } => {
            let bindir = db_args.pg_bindir.as_deref();
            on_database(db_args, async |db| {
                db::backup::backup(db, &to, bindir).await
            })
            .await?;
        }
        DbCommand::Restore { from } => {
            // no migration first: the restore goes into an empty database
            let bindir = db_args.pg_bindir.as_deref();
            on_database(db_args, async |db| {
                db::backup::restore(db, &from, bindir).await
            })
            .await?;
        }
        DbCommand::Start | DbCommand::Url => {
            // no migration here: `db url` must work whatever the schema's state
            let db = Database::open(db_args)
                .await
                .context("opening the database")?;
            println!("{}", db.url);
            db.pool.close().await; // leave the cluster running
        }
        DbCommand::Replica {
            from,
            apply_delay_ms,
        } => {
            let (dir, bindir) = (db_args.data_dir.clone(), db_args.pg_bindir.clone());
            let delay = (apply_delay_ms > 0).then(|| Duration::from_millis(apply_delay_ms));
            let replica = tokio::task::spawn_blocking(move || {
                db::Cluster::replica_of(&from, &dir, bindir.as_deref(), delay)
            })
            .await?
            .context("making the replica")?;
            println!("{}", replica.url(db::embedded::DB_NAME));
        }
        DbCommand::Promote => {
            let (dir, bindir) = (db_args.data_dir.clone(), db_args.pg_bindir.clone());
            let cluster = tokio::task::spawn_blocking(move || {
                let c = db::Cluster::start_with(&dir, bindir.as_deref())?;
                c.promote().map(|()| c)
            })
            .await?
            .context("promoting the replica")?;
            println!("{}", cluster.url(db::embedded::DB_NAME));
        }
        DbCommand::Stop => {
            let (dir, bindir) = (db_args.data_dir.clone(), db_args.pg_bindir.clone());
            tokio::task::spawn_blocking(move || {
                db::Cluster::start_with(&dir, bindir.as_deref())?.force_stop()
            })
            .await??;
            println!("embedded database stopped");
        }
    }
    Ok(())
}

async fn serve(settings: Settings, args: ServeArgs, db: Database) -> anyhow::Result<()> {
    tracing::info!(database = %redact_url(&db.url), listen = %args.listen, base_url = %settings.base_url,
        cors = ?settings.cors_origins, embedded = db.cluster.is_some(), "starting Mokhattat");
    if !args.no_sample {
        mokhattat::import::load_sample_if_empty(&db.pool, &args.sample_dir)
            .await
            .context("loading the sample data")?;
    }
    mokhattat::projects::spawn_warm_masks(db.pool.clone());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    if !db.replicas.is_empty() {
        tracing::info!(
            replicas = db.replicas.len(),
            "reads go to caught-up replicas"
        );
    }
    let state = AppState::start_with_replicas(db.pool.clone(), db.replicas.clone(), settings);
    let app = mokhattat::app(state);
    let limits = args.conn_limits();
    tracing::info!(header_read_timeout = ?limits.header_read_timeout, idle_timeout = ?limits.idle_timeout,
        max_connections = limits.max_connections, "listening on http://{}", listener.local_addr()?);
    mokhattat::web::server::run(listener, app, &limits, shutdown_signal()).await?;
    tracing::info!("shutting down");
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
