//! The serving loop: accepts TCP connections and serves them with hyper (HTTP/1.1, and HTTP/2 with
//! prior knowledge), within [`ConnLimits`] (see docs/limits.md):
//!
//! - **header read timeout** (HTTP/1.1): hyper drops a connection whose request headers are not
//!   complete in time; its clock starts when hyper waits for a request head, so it also bounds the
//!   wait for the next request on a keep-alive connection.
//! - **idle timeout**: a connection with no request in flight and no bytes read or written for that
//!   long is shut down gracefully; one that still makes no progress for as long again (a client that
//!   stopped reading its response) is dropped.
//! - **connection cap**: at most `max_connections` connections are served at once. When all slots
//!   are taken the loop stops accepting: new clients wait in the kernel's listen backlog (their
//!   connect succeeds, their request is answered once a slot frees) rather than being refused.
//! - **graceful shutdown**: when `shutdown` resolves the loop stops accepting, every connection is
//!   asked to finish (in-flight requests complete, keep-alive connections close) and `run` returns
//!   once all are closed.
//!
//! Each request carries the TCP peer as `ConnectInfo<SocketAddr>`, like axum's
//! `into_make_service_with_connect_info`.
use std::{
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use axum::{extract::connect_info::ConnectInfo, http::Request, Router};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{watch, OwnedSemaphorePermit, Semaphore},
};
use tower::Service;

pub use crate::config::ConnLimits;

/// Serve `app` on `listener` within `limits` until `shutdown` resolves, then wait for the open
/// connections to finish.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: &ConnLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max as usize));
    let (stop_tx, stop_rx) = watch::channel(());
    let idle = limits.idle_timeout;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            p = slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // e.g. EMFILE: out of file descriptors; wait rather than spin
                    tracing::error!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            builder.clone(),
            stream,
            peer,
            app.clone(),
            idle,
            stop_rx.clone(),
            permit,
        ));
    }
    drop(listener);
    let open = max as usize - slots.available_permits();
    tracing::info!(open, "no longer accepting; waiting for open connections");
    drop(stop_tx);
    // every connection task holds a slot until it ends
    let _all = slots.acquire_many(max).await;
    Ok(())
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

async fn serve_connection(
    builder: Arc<auto::Builder<TokioExecutor>>,
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    idle: Duration,
    mut stop: watch::Receiver<()>,
    _slot: OwnedSemaphorePermit,
) {
    let _open = OpenGauge::new();
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: activity.clone(),
    });
    let seen = activity.clone();
    let service = tower::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = InFlight::new(seen.clone());
        let mut app = app.clone();
        async move {
            let resp = app.call(req).await;
            drop(in_flight);
            resp
        }
    });
    let conn = builder.serve_connection_with_upgrades(io, TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut closing = false; // graceful shutdown asked
    let mut stopping = false; // the server is stopping (no need to watch `stop` any more)
    loop {
        let deadline = activity.idle_deadline(idle);
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                break;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                if !closing {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => {
                if !activity.is_idle(idle) {
                    continue;
                }
                if closing {
                    tracing::debug!(%peer, "dropping a connection that made no progress after shutdown");
                    metrics::counter!("mokhattat_http_connections_dropped_total").increment(1);
                    break;
                }
                tracing::debug!(%peer, "closing an idle connection");
                metrics::counter!("mokhattat_http_connections_idle_closed_total").increment(1);
                closing = true;
                conn.as_mut().graceful_shutdown();
                // give it another idle period to finish before dropping it
                activity.touch();
            }
        }
    }
}

/// Last traffic on a connection and the requests in flight on it.
struct Activity {
    start: Instant,
    /// milliseconds since `start` of the last byte read or written, or of the last request's end
    last: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.last.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }

    fn is_idle(&self, idle: Duration) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0 && self.last().elapsed() >= idle
    }

    /// When to look again: `idle` after the last traffic (after now while a request is in flight).
    fn idle_deadline(&self, idle: Duration) -> Instant {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            Instant::now() + idle
        } else {
            self.last() + idle
        }
    }
}

/// A request in flight on a connection (until its response head is ready; the body's bytes count
/// as traffic).
struct InFlight(Arc<Activity>);

impl InFlight {
    fn new(a: Arc<Activity>) -> Self {
        a.in_flight.fetch_add(1, Ordering::Relaxed);
        Self(a)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The `mokhattat_http_connections_open` gauge, up while a connection is served.
struct OpenGauge;

impl OpenGauge {
    fn new() -> Self {
        metrics::counter!("mokhattat_http_connections_total").increment(1);
        metrics::gauge!("mokhattat_http_connections_open").increment(1.0);
        Self
    }
}

impl Drop for OpenGauge {
    fn drop(&mut self) {
        metrics::gauge!("mokhattat_http_connections_open").decrement(1.0);
    }
}

/// A TCP stream that records when bytes move.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
