//! GDAL reports problems through a process-wide error handler. While an import reads, the messages
//! raised on its thread are captured (a truncated file shows up as errors during iteration, not as
//! a failed call); elsewhere they go to tracing instead of GDAL's default stderr printing.
use std::{cell::RefCell, sync::Once};

use gdal::errors::CplErrType;

thread_local! {
    /// GDAL errors and warnings raised on this thread while an import reads (see [`Capture`]).
    static CAPTURED: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

#[derive(Default)]
struct Captured {
    failures: Vec<String>,
    warnings: Vec<String>,
}

static HANDLER: Once = Once::new();

/// Route GDAL's messages: to the reading import on the thread that raised them, else to tracing.
fn install_error_handler() {
    HANDLER.call_once(|| {
        gdal::config::set_error_handler(|class, code, msg| {
            // Null-pointer complaints come from asking a feature without geometry for one.
            if msg.contains("is NULL in") {
                return;
            }
            let taken = CAPTURED.with(|c| match c.borrow_mut().as_mut() {
                Some(cap) => {
                    match class {
                        CplErrType::Failure | CplErrType::Fatal => cap.failures.push(msg.into()),
                        CplErrType::Warning
                            if cap.warnings.len() < 20
                                && !cap.warnings.iter().any(|w| w == msg) =>
                        {
                            cap.warnings.push(msg.into())
                        }
                        _ => {}
                    }
                    true
                }
                None => false,
            });
            if !taken {
                match class {
                    CplErrType::Failure | CplErrType::Fatal => {
                        tracing::warn!(target: "gdal", code, "{msg}")
                    }
                    CplErrType::Warning => tracing::debug!(target: "gdal", code, "{msg}"),
                    _ => {}
                }
            }
        });
    });
}

/// Captures GDAL messages on this thread while alive.
pub struct Capture;

impl Capture {
    pub fn start() -> Self {
        install_error_handler();
        CAPTURED.with(|c| *c.borrow_mut() = Some(Captured::default()));
        Capture
    }
    pub fn take_failures(&self) -> Vec<String> {
        CAPTURED.with(|c| {
            c.borrow_mut()
                .as_mut()
                .map(|cap| std::mem::take(&mut cap.failures))
                .unwrap_or_default()
        })
    }
    pub fn warnings(&self) -> Vec<String> {
        CAPTURED.with(|c| {
            c.borrow()
                .as_ref()
                .map(|cap| cap.warnings.clone())
                .unwrap_or_default()
        })
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        CAPTURED.with(|c| *c.borrow_mut() = None);
    }
}
