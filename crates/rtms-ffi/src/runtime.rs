//! The tokio runtime behind the blocking C calls: built lazily, shared by every handle, and
//! stoppable with `rtms_shutdown` (so leak checkers see no running threads at exit).

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::runtime::{Handle, Runtime};

use crate::error::{FfiError, RTMS_ERR_FAILURE};

static RUNTIME: Mutex<Option<Runtime>> = Mutex::new(None);

/// A handle to the shared runtime, building it on first use.
pub fn handle() -> Result<Handle, FfiError> {
    let mut rt = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if rt.is_none() {
        let built = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)))
            .thread_name("rtms-worker")
            .enable_all()
            .build()
            .map_err(|e| FfiError::new(RTMS_ERR_FAILURE, format!("could not start the rtms runtime: {e}")))?;
        *rt = Some(built);
    }
    Ok(rt.as_ref().map(|r| r.handle().clone()).unwrap_or_else(|| unreachable!("built above")))
}

/// Runs `f` to completion on the shared runtime from a thread that is not a runtime worker.
pub fn block_on<F: Future>(f: F) -> Result<F::Output, FfiError> {
    Ok(handle()?.block_on(f))
}

/// Stops the shared runtime's threads, waiting at most `timeout_ms` for its tasks. Call it
/// only after every client and simulator has been freed, e.g. at the end of `main`; the next
/// rtms call builds a new runtime.
#[no_mangle]
pub extern "C" fn rtms_shutdown(timeout_ms: u32) {
    crate::guard((), || {
        let rt = RUNTIME.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(rt) = rt {
            rt.shutdown_timeout(Duration::from_millis(u64::from(timeout_ms)));
        }
    })
}
