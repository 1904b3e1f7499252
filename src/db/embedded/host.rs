//! What the machine provides the embedded cluster: the PostgreSQL binaries and PostGIS, whether the
//! `postgres` user can reach the data dir, a free port, the cluster's secret.
use std::{
    fs::{self, OpenOptions},
    io::Write,
    os::unix::fs::{chown, OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    process::{Command, Output},
};

use rand::{distributions::Alphanumeric, Rng};

use super::EmbeddedError;

/// Whether the `postgres` system user can traverse into `dir`.
pub(super) fn postgres_can_reach(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-x"])
        .arg(dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A cluster directory the `postgres` user can reach, stable for a given data dir.
pub(super) fn fallback_cluster_dir(
    data_dir: &Path,
    user: &nix::unistd::User,
) -> Result<PathBuf, EmbeddedError> {
    use sha2::{Digest, Sha256};
    let key = hex::encode(&Sha256::digest(data_dir.as_os_str().as_encoded_bytes())[..8]);
    let base = PathBuf::from("/var/lib/mokhattat/clusters");
    let dir = base.join(key);
    fs::create_dir_all(&dir)?;
    fs::set_permissions("/var/lib/mokhattat", fs::Permissions::from_mode(0o755))?;
    fs::set_permissions(&base, fs::Permissions::from_mode(0o755))?;
    chown(&dir, Some(user.uid.as_raw()), Some(user.gid.as_raw()))?;
    fs::write(data_dir.join("pg.location"), dir.display().to_string())?;
    tracing::info!(data_dir = %data_dir.display(), cluster_dir = %dir.display(),
        "the postgres user cannot reach the data dir; the cluster lives in the cluster dir instead");
    Ok(dir)
}

pub(super) fn check(what: &str, out: Output) -> Result<(), EmbeddedError> {
    if out.status.success() {
        return Ok(());
    }
    let mut detail = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if detail.is_empty() {
        detail = String::from_utf8_lossy(&out.stdout).trim().to_string();
    }
    Err(EmbeddedError::Command {
        what: what.to_string(),
        detail,
    })
}

/// The PostgreSQL server binaries: `pg_config --bindir` when it has initdb, else the newest
/// `/usr/lib/postgresql/*/bin`.
pub fn find_bindir() -> Result<PathBuf, EmbeddedError> {
    let has_server = |d: &Path| d.join("initdb").exists() && d.join("pg_ctl").exists();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&d) {
            return Ok(d);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            has_server(&bin).then_some((v, bin))
        })
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, d)| d)
        .ok_or(EmbeddedError::NoPostgres)
}

pub(super) fn check_postgis(bindir: &Path) -> Result<(), EmbeddedError> {
    let version = bindir
        .parent()
        .and_then(|p| p.file_name())
        .map(|v| v.to_string_lossy().to_string())
        .unwrap_or_default();
    let sharedir = Command::new("pg_config")
        .arg("--sharedir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let candidates = [
        sharedir,
        Some(PathBuf::from(format!("/usr/share/postgresql/{version}"))),
    ];
    if candidates
        .iter()
        .flatten()
        .any(|d| d.join("extension/postgis.control").exists())
    {
        Ok(())
    } else {
        Err(EmbeddedError::NoPostgis(version))
    }
}

pub(super) fn read_or_create_secret(path: &Path) -> Result<String, EmbeddedError> {
    if let Ok(s) = fs::read_to_string(path) {
        if !s.trim().is_empty() {
            return Ok(s.trim().to_string());
        }
    }
    let secret: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    let mut f = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(secret.as_bytes())?;
    Ok(secret)
}

pub(super) fn free_port() -> Result<u16, EmbeddedError> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Where a cluster run from `run` listens on a Unix socket: there when the path fits in
/// `sun_path`, else nowhere (TCP on loopback always).
pub(super) fn socket_dir(run: &Path) -> String {
    if run.as_os_str().len() < 90 {
        run.display().to_string()
    } else {
        String::new()
    }
}

/// Appends `lines` to the configuration file `conf` of a cluster.
pub(super) fn append_conf(conf: &Path, lines: &str) -> Result<(), EmbeddedError> {
    let mut f = OpenOptions::new().append(true).open(conf)?;
    writeln!(f, "{lines}")?;
    Ok(())
}
