//! The dispatcher: one thread per client takes events off the core's stream
//! (`Client::events`) and calls the C callbacks, one at a time, never on a tokio worker.

use std::cell::Cell;
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rtms_core::{Event, Events};
use tokio::runtime::Handle;
use tokio::sync::watch;

use crate::callbacks::{rtms_callbacks_t, rtms_media_t, rtms_participant_t, rtms_session_t, Vtable};
use crate::error::{rtms_error_t, FfiError, RTMS_ERR_FAILURE, RTMS_ERR_INVALID_STATUS};
use crate::strings::c_string;

type Shared = Arc<Mutex<Option<Vtable>>>;

thread_local! {
    /// On a dispatcher thread: the address of its client's [`Shared`] (0 elsewhere). Compared
    /// instead of thread ids, which would allocate a thread handle on the caller's thread.
    static DISPATCHING: Cell<usize> = const { Cell::new(0) };
}

fn key(shared: &Shared) -> usize {
    Arc::as_ptr(shared) as usize
}

/// Owns the dispatcher thread of one client.
pub(crate) struct Dispatcher {
    vtable: Shared,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Dispatcher {
    /// Starts the thread that delivers `events`.
    pub(crate) fn start(events: Events) -> Result<Dispatcher, FfiError> {
        let handle = crate::runtime::handle()?;
        let vtable: Shared = Arc::new(Mutex::new(None));
        let (stop, stop_rx) = watch::channel(false);
        let shared = vtable.clone();
        let thread = std::thread::Builder::new()
            .name("rtms-dispatch".into())
            .spawn(move || run(handle, events, stop_rx, shared))
            .map_err(|e| FfiError::new(RTMS_ERR_FAILURE, format!("could not start the dispatcher thread: {e}")))?;
        Ok(Dispatcher { vtable, stop, thread: Some(thread) })
    }

    fn on_own_thread(&self) -> bool {
        DISPATCHING.try_with(Cell::get).is_ok_and(|k| k == key(&self.vtable))
    }

    /// Replaces the callbacks. Waits for a callback in progress, then frees the old
    /// `user_data`. Refused from inside a callback (it would wait for itself).
    pub(crate) fn set(&self, vtable: Option<Vtable>) -> Result<(), FfiError> {
        if self.on_own_thread() {
            return Err(FfiError::new(RTMS_ERR_INVALID_STATUS, "callbacks cannot be replaced from inside a callback"));
        }
        let old = std::mem::replace(&mut *self.vtable.lock().unwrap_or_else(|p| p.into_inner()), vtable);
        drop(old);
        Ok(())
    }

    /// Delivers what is queued, stops the thread, waits for it (unless called from it) and
    /// frees `user_data`.
    pub(crate) fn stop(mut self) {
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            if self.on_own_thread() {
                // Freed from inside a callback: the thread ends after this callback returns.
                return;
            }
            let _ = thread.join();
        }
        let old = self.vtable.lock().unwrap_or_else(|p| p.into_inner()).take();
        drop(old);
    }
}

fn run(handle: Handle, mut events: Events, mut stop: watch::Receiver<bool>, vtable: Shared) {
    DISPATCHING.with(|d| d.set(key(&vtable)));
    loop {
        let next = handle.block_on(async {
            tokio::select! {
                biased;
                _ = stop.wait_for(|s| *s) => None,
                ev = events.recv() => ev,
            }
        });
        match next {
            Some(ev) => deliver(&vtable, &ev),
            None => break,
        }
    }
    // Stopping: whatever is already queued (e.g. the leave event) is still delivered.
    while let Some(ev) = events.try_recv() {
        deliver(&vtable, &ev);
    }
}

fn deliver(vtable: &Shared, ev: &Event) {
    let guard = vtable.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(vt) = guard.as_ref() {
        if catch_unwind(AssertUnwindSafe(|| call(&vt.0, ev))).is_err() {
            // Not expected: building the arguments panicked. The event is skipped.
            eprintln!("rtms: internal error while delivering a {} event", ev.name());
        }
    }
}

fn opt_ptr(s: &Option<CString>) -> *const std::ffi::c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Calls the callback for one event, if set.
fn call(cb: &rtms_callbacks_t, ev: &Event) {
    let ud: *mut c_void = cb.user_data;
    // SAFETY (every call below): the function pointers and user_data come from the C side,
    // which promised they are callable from this thread; every pointer argument points to
    // data that lives until the call returns.
    match ev {
        Event::Media(m) => {
            let Some(f) = cb.on_media else { return };
            let c = &m.content;
            let name = c_string(&c.user_name);
            let channel = c.channel_id.as_deref().map(c_string);
            let media = rtms_media_t {
                media_type: m.kind.0,
                data: c.data.as_ptr(),
                len: c.data.len(),
                user_id: c.user_id,
                user_name: name.as_ptr(),
                channel_id: opt_ptr(&channel),
                timestamp: c.timestamp,
                start_time: c.start_time.unwrap_or(0),
                end_time: c.end_time.unwrap_or(0),
                language: c.language.unwrap_or(-1),
                attribute: c.attribute.unwrap_or(-1),
                sentence_id: c.sentence_id.unwrap_or(-1),
                attributed: m.attributed,
            };
            unsafe { f(ud, &media) }
        }
        Event::JoinConfirm { reason } => {
            if let Some(f) = cb.on_join_confirm {
                unsafe { f(ud, *reason) }
            }
        }
        Event::Leave { reason, error } => {
            let Some(f) = cb.on_leave else { return };
            let message = error.as_ref().map(|e| c_string(e.message()));
            let err = error.as_ref().map(|e| {
                let e = FfiError::from(e);
                rtms_error_t { code: e.code, status: e.status, message: opt_ptr(&message).cast_mut() }
            });
            let err_ptr = err.as_ref().map_or(std::ptr::null(), |e| e as *const rtms_error_t);
            unsafe { f(ud, *reason, err_ptr) }
        }
        Event::SessionUpdate { op, session } => {
            let Some(f) = cb.on_session_update else { return };
            let (sid, stream, meeting) = (c_string(&session.session_id), c_string(&session.stream_id), c_string(&session.meeting_id));
            let s = rtms_session_t {
                session_id: sid.as_ptr(),
                stream_id: stream.as_ptr(),
                meeting_id: meeting.as_ptr(),
                stat_time: session.stat_time,
                state: session.state,
                is_paused: session.is_paused,
            };
            unsafe { f(ud, op.as_i32(), &s) }
        }
        Event::StreamState { state, reason, timestamp } => {
            if let Some(f) = cb.on_stream_state {
                unsafe { f(ud, *state, *reason, *timestamp) }
            }
        }
        Event::UserUpdate { op, participant } => {
            let Some(f) = cb.on_user_update else { return };
            let name = c_string(&participant.user_name);
            let p = rtms_participant_t { user_id: participant.user_id, user_name: name.as_ptr() };
            unsafe { f(ud, *op, &p) }
        }
        Event::Participants { joined, timestamp, participants } => {
            let Some(f) = cb.on_participants else { return };
            let names: Vec<CString> = participants.iter().map(|p| c_string(&p.user_name)).collect();
            let list: Vec<rtms_participant_t> =
                participants.iter().zip(&names).map(|(p, n)| rtms_participant_t { user_id: p.user_id, user_name: n.as_ptr() }).collect();
            unsafe { f(ud, *joined, *timestamp, list.as_ptr(), list.len()) }
        }
        Event::ActiveSpeaker { timestamp, user_id, user_name } => {
            let Some(f) = cb.on_active_speaker else { return };
            let name = c_string(user_name);
            unsafe { f(ud, *timestamp, *user_id, name.as_ptr()) }
        }
        Event::Sharing { started, timestamp, user_id, user_name } => {
            let Some(f) = cb.on_sharing else { return };
            let name = user_name.as_deref().map(c_string);
            unsafe { f(ud, *started, *timestamp, user_id.unwrap_or(0), opt_ptr(&name)) }
        }
        Event::MediaConnectionInterrupted { timestamp } => {
            if let Some(f) = cb.on_media_interrupted {
                unsafe { f(ud, *timestamp) }
            }
        }
        Event::ParticipantVideo { on, timestamp, user_ids } => {
            if let Some(f) = cb.on_participant_video {
                unsafe { f(ud, *on, *timestamp, user_ids.as_ptr(), user_ids.len()) }
            }
        }
        Event::VideoSubscribed { user_id, status, reason } => {
            let Some(f) = cb.on_video_subscribed else { return };
            let reason = c_string(reason);
            unsafe { f(ud, *user_id, *status, reason.as_ptr()) }
        }
        Event::Raw { event_type, json } => {
            let Some(f) = cb.on_event_ex else { return };
            let json = c_string(json);
            unsafe { f(ud, *event_type, json.as_ptr()) }
        }
        Event::AudioMetadata(value) => {
            let Some(f) = cb.on_audio_metadata else { return };
            let json = c_string(&value.to_string());
            unsafe { f(ud, json.as_ptr()) }
        }
        Event::StateResponse { msg_type, state, timestamp } => {
            if let Some(f) = cb.on_state_response {
                unsafe { f(ud, *msg_type, *state, *timestamp) }
            }
        }
        // `Event` is not exhaustive for bindings: new kinds are ignored until mapped.
        #[allow(unreachable_patterns)]
        _ => {}
    }
}
