//! The tokio runtime every client, webhook receiver and simulator of the process shares.
//!
//! Built lazily on first use, with two named worker threads. A forked child cannot use its
//! parent's runtime (the worker threads did not survive the fork), so the runtime is rebuilt
//! when the process id changes; the parent's copy is leaked, as dropping it would wait for
//! threads that do not exist.

use std::sync::{Arc, Mutex};

use pyo3::PyResult;
use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::failure;

/// The runtime and the process it was built in.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// A handle to the shared runtime, building it (again, after a fork) when needed.
pub fn handle() -> PyResult<Handle> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.handle().clone());
        }
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rtms-io")
        .enable_all()
        .build()
        .map_err(|e| failure(format!("cannot start the rtms runtime: {e}")))?;
    let rt = Arc::new(rt);
    let handle = rt.handle().clone();
    if let Some((_, old)) = slot.replace((pid, rt)) {
        // Inherited from the parent process: its threads are gone, never drop it.
        std::mem::forget(old);
    }
    Ok(handle)
}
