//! The embedded default database: a private PostgreSQL + PostGIS cluster, made from the machine's own
//! binaries, living in the data dir. Started on demand, reused when already running (also after the
//! server was killed), stopped on shutdown by the process that owns it. When run as root the cluster
//! runs as the `postgres` system user, since PostgreSQL refuses to run as root.
use std::{
    fs::{self, File, OpenOptions},
    os::unix::fs::{chown, PermissionsExt},
    path::{Path, PathBuf},
    process::{Command, Output},
};

mod host;
mod replica;

pub use host::find_bindir;
use host::{
    append_conf, check, check_postgis, fallback_cluster_dir, free_port, postgres_can_reach,
    read_or_create_secret, socket_dir,
};

pub const DB_NAME: &str = "mokhattat";
const SUPERUSER: &str = "mokhattat";
const INSTALL_HINT: &str =
    "install PostgreSQL and PostGIS first: `sudo apt-get install postgresql postgresql-15-postgis-3` (or run scripts/setup.sh)";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("PostgreSQL server binaries (initdb, pg_ctl) were not found; {INSTALL_HINT}")]
    NoPostgres,
    #[error("PostGIS is not installed for PostgreSQL {0}; {INSTALL_HINT}")]
    NoPostgis(String),
    #[error("running as root, but there is no `postgres` system user to run the cluster; install the postgresql package")]
    NoPostgresUser,
    #[error("the `postgres` user cannot reach {0}: put the data dir under a path it can traverse (e.g. --data-dir /var/lib/mokhattat)")]
    Unreachable(PathBuf),
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A running (or startable) embedded cluster.
#[derive(Debug)]
pub struct Cluster {
    data_dir: PathBuf,
    /// Where the cluster files live: the data dir, or (as root, when the `postgres` user cannot reach
    /// the data dir, e.g. under /root) a directory under /var/lib/mokhattat keyed by the data dir.
    cluster_dir: PathBuf,
    bindir: PathBuf,
    port: u16,
    password: String,
    run_as: Option<nix::unistd::User>,
    /// Held while this process owns the cluster (it then stops it on shutdown).
    owner_lock: Option<File>,
}

impl Cluster {
    fn pgdata(&self) -> PathBuf {
        self.cluster_dir.join("pg")
    }

    /// The URL of the `mokhattat` database (or another database of the cluster).
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{db}",
            self.password, self.port
        )
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// True when this process owns the cluster and will stop it on shutdown.
    pub fn is_owner(&self) -> bool {
        self.owner_lock.is_some()
    }

    /// Start the cluster in `data_dir` (creating it on first use) or reuse it when it is already running.
    /// Blocking: call from `spawn_blocking` inside async code.
    pub fn start(data_dir: &Path) -> Result<Self, EmbeddedError> {
        Self::start_with(data_dir, None)
    }

    /// Like [`Cluster::start`], with the PostgreSQL binaries taken from `bindir` when given.
    pub fn start_with(data_dir: &Path, bindir: Option<&Path>) -> Result<Self, EmbeddedError> {
        let cluster = Self::prepare(data_dir, bindir)?;
        if !cluster.pgdata().join("PG_VERSION").exists() {
            cluster.init()?;
        }
        cluster.start_prepared()?;
        Ok(cluster)
    }

    /// The cluster's directories, password and port, without touching PostgreSQL yet.
    fn prepare(data_dir: &Path, bindir: Option<&Path>) -> Result<Self, EmbeddedError> {
        let bindir = match bindir {
            Some(d) if d.join("initdb").exists() && d.join("pg_ctl").exists() => d.to_path_buf(),
            Some(_) => return Err(EmbeddedError::NoPostgres),
            None => find_bindir()?,
        };
        fs::create_dir_all(data_dir)?;
        let data_dir = data_dir.canonicalize()?;
        check_postgis(&bindir)?;
        let run_as = if nix::unistd::geteuid().is_root() {
            Some(
                nix::unistd::User::from_name("postgres")
                    .ok()
                    .flatten()
                    .ok_or(EmbeddedError::NoPostgresUser)?,
            )
        } else {
            None
        };
        let owner_lock = {
            let f = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(data_dir.join("pg.owner"))?;
            f.try_lock().ok().map(|_| f)
        };
        let password = read_or_create_secret(&data_dir.join("pg.password"))?;
        let port = match fs::read_to_string(data_dir.join("pg.port"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            Some(p) => p,
            None => {
                let p = free_port()?;
                fs::write(data_dir.join("pg.port"), p.to_string())?;
                p
            }
        };
        let cluster_dir = match &run_as {
            Some(u) if !postgres_can_reach(&data_dir) => fallback_cluster_dir(&data_dir, u)?,
            _ => data_dir.clone(),
        };
        Ok(Cluster {
            data_dir,
            cluster_dir,
            bindir,
            port,
            password,
            run_as,
            owner_lock,
        })
    }

    /// Start an initialised cluster unless it runs already, and wait until it accepts connections.
    fn start_prepared(&self) -> Result<(), EmbeddedError> {
        if !self.is_running() {
            // After a crash, orphaned backends may hold the shared memory for a moment: retry.
            let mut attempt = 0;
            while let Err(e) = self.pg_ctl_start() {
                attempt += 1;
                if attempt == 3 {
                    return Err(e);
                }
                tracing::warn!(error = %e, "PostgreSQL did not start; retrying");
                std::thread::sleep(std::time::Duration::from_secs(2));
            }
        }
        self.wait_accepting(std::time::Duration::from_secs(120))
    }

    fn init(&self) -> Result<(), EmbeddedError> {
        let pgdata = self.pgdata();
        let run = self.cluster_dir.join("run");
        fs::create_dir_all(&pgdata)?;
        fs::create_dir_all(&run)?;
        fs::set_permissions(&pgdata, fs::Permissions::from_mode(0o700))?;
        let pwfile = self.cluster_dir.join("pg.pwfile.tmp");
        fs::write(&pwfile, &self.password)?;
        if let Some(u) = &self.run_as {
            for p in [&pgdata, &run, &pwfile] {
                chown(p, Some(u.uid.as_raw()), Some(u.gid.as_raw()))?;
            }
            let probe = Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-w"])
                .arg(&pgdata)
                .status()?;
            if !probe.success() {
                let _ = fs::remove_file(&pwfile);
                return Err(EmbeddedError::Unreachable(self.data_dir.clone()));
            }
        }
        let out = self.run(
            "initdb",
            &[
                "-D".as_ref(),
                pgdata.as_os_str(),
                "-U".as_ref(),
                SUPERUSER.as_ref(),
                "--pwfile".as_ref(),
                pwfile.as_os_str(),
                "-A".as_ref(),
                "scram-sha-256".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                "--no-instructions".as_ref(),
            ],
        );
        let _ = fs::remove_file(&pwfile);
        check("initdb", out?)?;
        append_conf(
            &pgdata.join("postgresql.conf"),
            &format!(
                "\n# --- written by mokhattat ---\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
                 max_connections = 200\nshared_buffers = '256MB'\nwork_mem = '32MB'\nmaintenance_work_mem = '256MB'\n\
                 logging_collector = off\nlog_min_messages = warning\n",
                self.port,
                socket_dir(&run)
            ),
        )?;
        tracing::info!(dir = %pgdata.display(), "initialised embedded PostgreSQL cluster");
        Ok(())
    }

    /// Whether a live postmaster owns the cluster. A postmaster.pid whose process is gone (or a
    /// zombie nobody reaped, as after a kill -9 inside a container) is stale and removed, so that
    /// the next start can run crash recovery.
    fn is_running(&self) -> bool {
        let pidfile = self.pgdata().join("postmaster.pid");
        let Some(pid) = fs::read_to_string(&pidfile)
            .ok()
            .and_then(|s| s.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
        else {
            return false;
        };
        let alive = fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(") ")
                    .map(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X'))
            })
            .unwrap_or(false);
        if !alive {
            tracing::warn!(
                pid,
                "removing the stale lock files of a PostgreSQL that is gone"
            );
            let _ = fs::remove_file(&pidfile);
            // The socket lock names the dead postmaster too; PostgreSQL would refuse to start.
            for entry in fs::read_dir(self.cluster_dir.join("run"))
                .into_iter()
                .flatten()
                .flatten()
            {
                if entry.file_name().to_string_lossy().starts_with(".s.PGSQL.") {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        alive
    }

    /// Wait until the cluster accepts TCP connections (it may be finishing crash recovery).
    fn wait_accepting(&self, timeout: std::time::Duration) -> Result<(), EmbeddedError> {
        let deadline = std::time::Instant::now() + timeout;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(200))
                .is_ok()
            {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(EmbeddedError::Command {
                    what: "waiting for the embedded PostgreSQL".into(),
                    detail: format!(
                        "it does not accept connections on port {}; see pg.log in {}",
                        self.port,
                        self.cluster_dir.display()
                    ),
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let pgdata = self.pgdata();
        let log = self.cluster_dir.join("pg.log");
        if !log.exists() {
            File::create(&log)?;
        }
        if let Some(u) = &self.run_as {
            chown(&log, Some(u.uid.as_raw()), Some(u.gid.as_raw()))?;
        }
        let out = self.run(
            "pg_ctl",
            &[
                "start".as_ref(),
                "-w".as_ref(),
                "-t".as_ref(),
                "120".as_ref(),
                "-D".as_ref(),
                pgdata.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
            ],
        )?;
        check("pg_ctl start (see the log in the data dir, pg.log)", out)?;
        tracing::info!(port = self.port, "embedded PostgreSQL started");
        Ok(())
    }

    /// Stop the cluster (fast shutdown) if this process owns it.
    pub fn stop(&self) -> Result<(), EmbeddedError> {
        if !self.is_owner() {
            tracing::info!(
                "embedded PostgreSQL is shared with another running process; leaving it up"
            );
            return Ok(());
        }
        self.force_stop()
    }

    /// Stop the cluster whoever started it.
    pub fn force_stop(&self) -> Result<(), EmbeddedError> {
        if !self.is_running() {
            return Ok(());
        }
        let pgdata = self.pgdata();
        let out = self.run(
            "pg_ctl",
            &[
                "stop".as_ref(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
                "-D".as_ref(),
                pgdata.as_os_str(),
            ],
        )?;
        check("pg_ctl stop", out)?;
        tracing::info!("embedded PostgreSQL stopped");
        Ok(())
    }

    /// Run one of the cluster's binaries, as `postgres` when we are root.
    fn run(&self, bin: &str, args: &[&std::ffi::OsStr]) -> Result<Output, EmbeddedError> {
        self.run_env(bin, args, &[])
    }

    /// [`Cluster::run`] with extra environment variables (a password, never on the command line).
    fn run_env(
        &self,
        bin: &str,
        args: &[&std::ffi::OsStr],
        env: &[(&str, &str)],
    ) -> Result<Output, EmbeddedError> {
        let exe = self.bindir.join(bin);
        let mut cmd = match &self.run_as {
            Some(_) => {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            .current_dir(&self.cluster_dir)
            .env("LC_ALL", "C.UTF-8")
            .envs(env.iter().copied());
        // pg_ctl start leaves the postmaster running: it must not hold our stdout/stderr pipes.
        cmd.stdin(std::process::Stdio::null());
        Ok(cmd.output()?)
    }
}
