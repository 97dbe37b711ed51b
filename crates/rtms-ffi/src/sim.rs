//! rtms-sim through the C ABI, so tests in any language (Go's `rtmstest`, the C example) need
//! no other process: start a simulated RTMS server, read its meetings, inject a few faults,
//! wait for the summary (JSON, with packet counts and CRC32s of everything sent).

use std::ffi::{c_char, CString};
use std::time::Duration;

use rtms_sim::{Scenario, Sim, SimConfig, SimError};

use crate::error::{rtms_code_t, rtms_error_t, FfiError, RTMS_ERR_FAILURE, RTMS_ERR_INVALID_ARGS, RTMS_ERR_IO, RTMS_ERR_TIMEOUT};
use crate::guard::call;
use crate::strings::{c_string, opt_arg, to_owned_c};

/// How to start the simulator. Zero-initialise it; every field has a default.
#[repr(C)]
pub struct rtms_sim_options_t {
    /// A built-in scenario name (`minimal`, `quick`, `demo`); NULL for `minimal`.
    pub scenario: *const c_char,
    /// A scenario as TOML text; overrides `scenario` when not NULL.
    pub scenario_toml: *const c_char,
    /// Scenario time per real time (4.0 plays four times as fast); 0 for 1.0.
    pub speed: f64,
    /// Concurrent meetings; 0 for 1.
    pub meetings: u32,
    /// Where to POST `*.rtms_started` / `*.rtms_stopped` (http:// only), or NULL.
    pub webhook_url: *const c_char,
    /// The secret to sign webhooks with, or NULL.
    pub webhook_secret: *const c_char,
}

struct MeetingStrings {
    uuid: CString,
    stream_id: CString,
    server_urls: CString,
}

/// A running simulator (opaque). Free it with `rtms_sim_free`.
pub struct rtms_sim_t {
    sim: Option<Sim>,
    meetings: Vec<MeetingStrings>,
    client_id: CString,
    client_secret: CString,
}

impl From<SimError> for FfiError {
    fn from(e: SimError) -> FfiError {
        let code = match e {
            SimError::Scenario(_) | SimError::Config(_) => RTMS_ERR_INVALID_ARGS,
            SimError::Io(_) => RTMS_ERR_IO,
            _ => RTMS_ERR_FAILURE,
        };
        FfiError::new(code, format!("simulator: {e}"))
    }
}

/// # Safety
/// `s` is NULL or a live handle.
unsafe fn sim_ref<'a>(s: *const rtms_sim_t) -> Result<&'a Sim, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    unsafe { s.as_ref() }.and_then(|s| s.sim.as_ref()).ok_or_else(|| FfiError::null("sim"))
}

/// # Safety
/// `o` is NULL or a valid struct with NULL or NUL-terminated strings.
unsafe fn config(o: *const rtms_sim_options_t) -> Result<SimConfig, FfiError> {
    // SAFETY: forwarded from the caller's contract.
    let o = unsafe { o.as_ref() };
    // SAFETY: the strings are NULL or NUL-terminated per the contract.
    let text = |p: Option<*const c_char>, name: &str| unsafe { p.map_or(Ok(None), |p| opt_arg(p, name)) };
    let scenario = match (text(o.map(|o| o.scenario_toml), "scenario_toml")?, text(o.map(|o| o.scenario), "scenario")?) {
        (Some(toml), _) => Scenario::from_toml(toml)?,
        (None, name) => Scenario::builtin(name.unwrap_or("minimal"))?,
    };
    let mut cfg = SimConfig::new(scenario);
    if let Some(o) = o {
        if o.speed != 0.0 {
            cfg.speed = o.speed;
        }
        if o.meetings > 0 {
            cfg.meetings = o.meetings as usize;
        }
        cfg.webhook_url = text(Some(o.webhook_url), "webhook_url")?.map(str::to_owned);
        cfg.webhook_secret = text(Some(o.webhook_secret), "webhook_secret")?.map(str::to_owned);
    }
    Ok(cfg)
}

/// Starts a simulator on 127.0.0.1 (a free port). `options` may be NULL for the defaults.
///
/// # Safety
/// `options` is NULL or valid; `out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_start(
    options: *const rtms_sim_options_t,
    out: *mut *mut rtms_sim_t,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            if out.is_null() {
                return Err(FfiError::null("out"));
            }
            let cfg = config(options)?;
            let (client_id, client_secret) = (c_string(&cfg.client_id), c_string(&cfg.client_secret));
            let sim = crate::runtime::block_on(Sim::start(cfg))??;
            let meetings = sim
                .meetings()
                .iter()
                .map(|m| MeetingStrings {
                    uuid: c_string(&m.meeting_uuid),
                    stream_id: c_string(&m.rtms_stream_id),
                    server_urls: c_string(&m.server_urls),
                })
                .collect();
            out.write(Box::into_raw(Box::new(rtms_sim_t { sim: Some(sim), meetings, client_id, client_secret })));
            Ok(())
        })
    }
}

/// How many meetings the simulator runs (0 for NULL).
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_meeting_count(s: *const rtms_sim_t) -> usize {
    // SAFETY: forwarded from the caller's contract.
    crate::guard(0, || unsafe { s.as_ref() }.map_or(0, |s| s.meetings.len()))
}

/// # Safety
/// `s` is NULL or a live handle.
unsafe fn meeting_field(s: *const rtms_sim_t, index: usize, f: impl Fn(&MeetingStrings) -> &CString) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    crate::guard(std::ptr::null(), || unsafe { s.as_ref() }.and_then(|s| s.meetings.get(index)).map_or(std::ptr::null(), |m| f(m).as_ptr()))
}

/// Meeting `index`'s uuid (the instance id to join and sign with); NULL when out of range.
/// Owned by the simulator: valid until `rtms_sim_free`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_meeting_uuid(s: *const rtms_sim_t, index: usize) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    unsafe { meeting_field(s, index, |m| &m.uuid) }
}

/// Meeting `index`'s `rtms_stream_id`; NULL when out of range. Valid until `rtms_sim_free`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_meeting_stream_id(s: *const rtms_sim_t, index: usize) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    unsafe { meeting_field(s, index, |m| &m.stream_id) }
}

/// Meeting `index`'s signaling URL (`server_urls`); NULL when out of range. Valid until
/// `rtms_sim_free`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_meeting_server_urls(s: *const rtms_sim_t, index: usize) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    unsafe { meeting_field(s, index, |m| &m.server_urls) }
}

/// The client id the simulator expects signatures to be made with. Valid until `rtms_sim_free`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_client_id(s: *const rtms_sim_t) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    crate::guard(std::ptr::null(), || unsafe { s.as_ref() }.map_or(std::ptr::null(), |s| s.client_id.as_ptr()))
}

/// The client secret the simulator signs with. Valid until `rtms_sim_free`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_client_secret(s: *const rtms_sim_t) -> *const c_char {
    // SAFETY: forwarded from the caller's contract.
    crate::guard(std::ptr::null(), || unsafe { s.as_ref() }.map_or(std::ptr::null(), |s| s.client_secret.as_ptr()))
}

/// Waits (at most `timeout_ms`; 0 waits forever) until every meeting has ended, then writes
/// the summary as JSON to `*json_out` (free with `rtms_string_free`). `RTMS_ERR_TIMEOUT` if
/// the meetings did not end in time.
///
/// # Safety
/// `s` is a live handle; `json_out` is writable; `err` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_wait_json(
    s: *const rtms_sim_t,
    timeout_ms: u32,
    json_out: *mut *mut c_char,
    err: *mut *mut rtms_error_t,
) -> rtms_code_t {
    // SAFETY: forwarded from the caller's contract.
    unsafe {
        call(err, || {
            let sim = sim_ref(s)?;
            if json_out.is_null() {
                return Err(FfiError::null("json_out"));
            }
            let summary = crate::runtime::block_on(async {
                if timeout_ms == 0 {
                    Some(sim.wait().await)
                } else {
                    tokio::time::timeout(Duration::from_millis(u64::from(timeout_ms)), sim.wait()).await.ok()
                }
            })?;
            let summary =
                summary.ok_or_else(|| FfiError::new(RTMS_ERR_TIMEOUT, format!("the meetings did not end within {timeout_ms} ms")))?;
            let json = serde_json::to_string(&summary).map_err(|e| FfiError::new(RTMS_ERR_FAILURE, e.to_string()))?;
            json_out.write(to_owned_c(&json));
            Ok(())
        })
    }
}

/// The summary as of now, as JSON (free with `rtms_string_free`); NULL for NULL.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_summary_json(s: *const rtms_sim_t) -> *mut c_char {
    crate::guard(std::ptr::null_mut(), || {
        // SAFETY: forwarded from the caller's contract.
        let Ok(sim) = (unsafe { sim_ref(s) }) else { return std::ptr::null_mut() };
        serde_json::to_string(&sim.summary()).map_or(std::ptr::null_mut(), |j| to_owned_c(&j))
    })
}

/// Fault: ends every meeting now with this stop reason.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_end_meeting(s: *const rtms_sim_t, stop_reason: i32) {
    // SAFETY: forwarded from the caller's contract.
    crate::guard((), || unsafe { sim_ref(s) }.map_or((), |sim| sim.faults().end_meeting(stop_reason)))
}

/// Fault: answers the next handshake with this status instead of 0.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_refuse_next_handshake(s: *const rtms_sim_t, status: i64) {
    // SAFETY: forwarded from the caller's contract.
    crate::guard((), || unsafe { sim_ref(s) }.map_or((), |sim| sim.faults().refuse_next_handshake(status)))
}

/// Fault: leaves handshakes unanswered while `on`.
///
/// # Safety
/// `s` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_ignore_handshakes(s: *const rtms_sim_t, on: bool) {
    // SAFETY: forwarded from the caller's contract.
    crate::guard((), || unsafe { sim_ref(s) }.map_or((), |sim| sim.faults().ignore_handshakes(on)))
}

/// Shuts the simulator down (closes every socket, stops its tasks) and frees it. NULL is
/// ignored.
///
/// # Safety
/// `s` is NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn rtms_sim_free(s: *mut rtms_sim_t) {
    crate::guard((), || {
        if s.is_null() {
            return;
        }
        // SAFETY: a live handle from `rtms_sim_start`, freed once.
        let mut handle = unsafe { Box::from_raw(s) };
        if let Some(sim) = handle.sim.take() {
            let _ = crate::runtime::block_on(sim.shutdown());
        }
    })
}
