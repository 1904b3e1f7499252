//! API keys, roles and scopes, and the extractor every write endpoint uses.
use axum::Router;
use clap::Subcommand;
use sqlx::PgPool;

use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List keys.
    List,
}

pub fn routes() -> Router<AppState> {
    Router::new()
}

pub async fn run_keys(_pool: &PgPool, _cmd: KeysCommand) -> anyhow::Result<()> {
    anyhow::bail!("not yet available")
}
