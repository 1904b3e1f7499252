//! LISTEN on one channel, for as long as the subscriber lives, reconnecting by itself.
//!
//! A subscriber hears when the connection comes up and when it is lost (changes may have been
//! missed while it was down), and every payload in between. Each server instance runs its own
//! listeners, so every instance sharing a database sees every change, whoever made it.
use std::{
    future::Future,
    sync::{Arc, Weak},
    time::Duration,
};

use sqlx::postgres::PgListener;

use super::replicas::Reads;

pub trait Subscriber: Send + Sync + 'static {
    /// The connection is up (`true`: listening from now on) or lost (`false`).
    fn connected(&self, up: bool) -> impl Future<Output = ()> + Send;
    /// One notification.
    fn notified(&self, payload: &str) -> impl Future<Output = ()> + Send;
}

/// Listen on `channel` of the primary for `sub` until it is dropped or the pool is closed (no-op
/// outside a Tokio runtime). Before `sub` hears of a change (or of a reconnection), the reads' floor
/// rises past it, so nothing `sub` refills afterwards is read from a replica behind the change.
pub fn start<S: Subscriber>(reads: &Arc<Reads>, channel: &'static str, sub: &Arc<S>) {
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let (reads, sub) = (reads.clone(), Arc::downgrade(sub));
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(200);
        loop {
            if reads.primary().is_closed() || sub.strong_count() == 0 {
                return;
            }
            match listen_once(&reads, channel, &sub).await {
                Ok(()) => return,
                Err(e) => {
                    if reads.primary().is_closed() {
                        return;
                    }
                    if let Some(s) = sub.upgrade() {
                        s.connected(false).await;
                    }
                    tracing::warn!(error = %e, channel, retry_in_ms = backoff.as_millis() as u64,
                        "change listener lost its connection; reading from the database until it is back");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
}

/// One connection's life. Ok when there is nothing left to do (subscriber dropped, the primary's
/// pool closed).
async fn listen_once<S: Subscriber>(
    reads: &Reads,
    channel: &'static str,
    sub: &Weak<S>,
) -> Result<(), sqlx::Error> {
    // a connection of its own, outside the shared pool: the pool's connections serve requests
    // (several listeners per instance would otherwise hold them for good)
    let own = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with((*reads.primary().connect_options()).clone())
        .await?;
    let mut listener = PgListener::connect_with(&own).await?;
    listener.listen(channel).await?;
    reads.catch_up().await;
    match sub.upgrade() {
        Some(s) => s.connected(true).await,
        None => return Ok(()),
    }
    tracing::debug!(channel, "change listener connected");
    let closed = reads.primary().close_event();
    tokio::pin!(closed);
    loop {
        let next = tokio::select! {
            n = listener.try_recv() => n,
            _ = &mut closed => {
                own.close().await;
                return Ok(());
            }
        };
        let Some(s) = sub.upgrade() else {
            return Ok(());
        };
        match next {
            Ok(Some(n)) => {
                reads.catch_up().await;
                s.notified(n.payload()).await
            }
            Ok(None) => {
                return Err(sqlx::Error::Protocol(
                    "notification connection closed".into(),
                ))
            }
            Err(sqlx::Error::PoolClosed) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}
