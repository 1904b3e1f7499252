//! A local streaming replica of a primary (`mokhattat db replica`): `pg_basebackup -R` into the data
//! dir on first use, its own port, then started like the embedded cluster (and reused when running).
use std::{
    fs,
    os::unix::fs::{chown, PermissionsExt},
    path::Path,
    time::Duration,
};

use super::{append_conf, check, socket_dir, Cluster, EmbeddedError};

impl Cluster {
    /// A hot standby of `primary_url` (a role with the REPLICATION attribute; the embedded
    /// cluster's URL works) in `data_dir`. `apply_delay` sets `recovery_min_apply_delay` (for
    /// trying a lagging replica). Blocking.
    pub fn replica_of(
        primary_url: &str,
        data_dir: &Path,
        bindir: Option<&Path>,
        apply_delay: Option<Duration>,
    ) -> Result<Self, EmbeddedError> {
        let bad = |detail: &str| EmbeddedError::Command {
            what: "reading the primary's URL".into(),
            detail: detail.into(),
        };
        let mut url = url::Url::parse(primary_url).map_err(|e| {
            bad(&format!(
                "{e}; expected postgres://user:password@host:port/db"
            ))
        })?;
        let password = percent_encoding::percent_decode_str(url.password().unwrap_or(""))
            .decode_utf8_lossy()
            .into_owned();
        url.set_password(None)
            .map_err(|_| bad("the URL cannot carry a password"))?;
        // the replica's own password file names the primary's (a physical copy has its roles)
        fs::create_dir_all(data_dir)?;
        if !password.is_empty() {
            fs::write(data_dir.join("pg.password"), &password)?;
        }
        let cluster = Self::prepare(data_dir, bindir)?;
        if !cluster.pgdata().join("PG_VERSION").exists() {
            cluster.base_backup(url.as_str(), &password, apply_delay)?;
        }
        cluster.start_prepared()?;
        Ok(cluster)
    }

    /// Make the replica in this data dir a primary of its own: the restore of a base backup
    /// (`pg_ctl promote`, waiting until it accepts writes). A cluster that is not a standby is
    /// refused by PostgreSQL with its own message. Blocking.
    pub fn promote(&self) -> Result<(), EmbeddedError> {
        let pgdata = self.pgdata();
        let args: [&std::ffi::OsStr; 4] = [
            "promote".as_ref(),
            "-w".as_ref(),
            "-D".as_ref(),
            pgdata.as_os_str(),
        ];
        check("pg_ctl promote", self.run("pg_ctl", &args)?)
    }

    fn base_backup(
        &self,
        conninfo: &str,
        password: &str,
        apply_delay: Option<Duration>,
    ) -> Result<(), EmbeddedError> {
        let pgdata = self.pgdata();
        let run = self.cluster_dir.join("run");
        fs::create_dir_all(&pgdata)?;
        fs::create_dir_all(&run)?;
        fs::set_permissions(&pgdata, fs::Permissions::from_mode(0o700))?;
        if let Some(u) = &self.run_as {
            for p in [&pgdata, &run] {
                chown(p, Some(u.uid.as_raw()), Some(u.gid.as_raw()))?;
            }
        }
        tracing::info!(dir = %pgdata.display(), "copying the primary (pg_basebackup)");
        let out = self.run_env(
            "pg_basebackup",
            &[
                "-d".as_ref(),
                conninfo.as_ref(),
                "-D".as_ref(),
                pgdata.as_os_str(),
                "-R".as_ref(),
                "-X".as_ref(),
                "stream".as_ref(),
                "-c".as_ref(),
                "fast".as_ref(),
            ],
            &[("PGPASSWORD", password)],
        );
        if let Err(e) = out.and_then(|o| check("pg_basebackup", o)) {
            // a half-made copy would be started next time: leave nothing behind
            let _ = fs::remove_dir_all(&pgdata);
            return Err(e);
        }
        append_conf(
            &pgdata.join("postgresql.auto.conf"),
            &format!(
                "# --- written by mokhattat db replica ---\nport = {}\nunix_socket_directories = '{}'\n\
                 hot_standby = on\nhot_standby_feedback = on\nrecovery_min_apply_delay = '{}ms'",
                self.port,
                socket_dir(&run),
                apply_delay.map_or(0, |d| d.as_millis())
            ),
        )?;
        Ok(())
    }
}
