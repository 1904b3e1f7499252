//! `mokhattat keys create | list | revoke`.
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use sqlx::PgPool;

use super::{
    caller::KeyRole,
    http::SHOWN_ONCE,
    store::{self, KeyInfo, NewKey},
};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it once (on stdout; the details go to stderr).
    Create(CreateArgs),
    /// List keys: prefix, name, role, scope, dates. Secrets are never shown.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its prefix (or by the whole key). Requests with it then get 401.
    Revoke {
        /// The 8-character prefix shown by `keys list` (or the whole key).
        prefix: String,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Who holds the key (a person, an office, a partner's system).
    #[arg(long)]
    pub name: String,
    /// admin: everything; planner: projects of its municipalities; partner: its own projects.
    #[arg(long, value_enum)]
    pub role: KeyRole,
    /// Official municipality code a planner key may edit (repeat, or separate with commas).
    #[arg(long = "municipality", value_delimiter = ',')]
    pub municipalities: Vec<String>,
    /// Partner name a partner key is scoped to (matches project.partner).
    #[arg(long)]
    pub partner: Option<String>,
}

pub async fn run_keys(pool: &PgPool, cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::Create(a) => {
            let created = store::create(
                pool,
                NewKey {
                    name: a.name,
                    role: a.role.as_str().to_string(),
                    municipalities: a.municipalities,
                    partner: a.partner,
                },
            )
            .await?;
            let i = &created.info;
            eprintln!(
                "created {} key '{}' (prefix {}, scope: {})",
                i.role,
                i.name,
                i.prefix,
                i.scope()
            );
            println!("{}", created.key);
            eprintln!("WARNING: {SHOWN_ONCE}");
        }
        KeysCommand::List { json } => {
            let keys = store::list(pool).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&keys)?);
            } else {
                print!("{}", table(&keys));
            }
        }
        KeysCommand::Revoke { prefix } => {
            let info = store::revoke(pool, &prefix).await?;
            println!(
                "revoked key {} ('{}', {}) at {}",
                info.prefix,
                info.name,
                info.role,
                when(info.revoked_at)
            );
        }
    }
    Ok(())
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

/// A plain text table, columns padded to their widest cell.
pub fn table(keys: &[KeyInfo]) -> String {
    let header = [
        "PREFIX",
        "NAME",
        "ROLE",
        "SCOPE",
        "CREATED",
        "LAST USED",
        "REVOKED",
    ];
    let rows: Vec<[String; 7]> = keys
        .iter()
        .map(|k| {
            [
                k.prefix.clone(),
                k.name.clone(),
                k.role.clone(),
                k.scope(),
                when(Some(k.created_at)),
                when(k.last_used_at),
                when(k.revoked_at),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect::<Vec<_>>()
            .join("  ");
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    };
    let mut out = line(header.to_vec());
    for r in &rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    if rows.is_empty() {
        out.push_str(
            "(no keys yet: create one with `mokhattat keys create --name N --role admin`)\n",
        );
    }
    out
}
