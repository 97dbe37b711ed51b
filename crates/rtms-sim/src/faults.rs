//! Faults on demand: a [`Faults`] handle lets a test break things while a meeting runs.
//!
//! Flags (keep-alive stall, delay, handshake refusal and ignoring) apply to the whole
//! simulator. One-shot actions (drops, bad frames, ending a meeting) apply to every meeting, or
//! to one after [`Faults::meeting`]; each returns how many sockets it reached.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rtms_core::protocol::MediaType;

use crate::meeting::Meeting;
use crate::server::link::Outbound;

/// Switches read by every connection.
#[derive(Debug, Default)]
pub(crate) struct FaultFlags {
    stall_keepalives: AtomicBool,
    delay_us: AtomicU64,
    refuse_next: Mutex<Option<i64>>,
    ignore_handshakes: AtomicBool,
}

impl FaultFlags {
    /// Neither send nor answer keep-alives.
    pub fn keepalives_stalled(&self) -> bool {
        self.stall_keepalives.load(Ordering::Relaxed)
    }

    /// Delay before each outgoing message.
    pub fn delay(&self) -> Duration {
        Duration::from_micros(self.delay_us.load(Ordering::Relaxed))
    }

    /// The status to refuse this handshake with, consumed.
    pub fn take_refusal(&self) -> Option<i64> {
        self.refuse_next.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Leave handshakes unanswered.
    pub fn ignoring_handshakes(&self) -> bool {
        self.ignore_handshakes.load(Ordering::Relaxed)
    }
}

/// A handle to inject faults (`Clone + Send + Sync`); get it from [`crate::Sim::faults`].
#[derive(Clone)]
pub struct Faults {
    flags: Arc<FaultFlags>,
    meetings: Arc<[Arc<Meeting>]>,
    only: Option<usize>,
}

impl Faults {
    pub(crate) fn new(flags: Arc<FaultFlags>, meetings: Arc<[Arc<Meeting>]>) -> Faults {
        Faults { flags, meetings, only: None }
    }

    /// The same handle, with one-shot actions limited to meeting `index`.
    pub fn meeting(&self, index: usize) -> Faults {
        Faults { only: Some(index), ..self.clone() }
    }

    fn targets(&self) -> impl Iterator<Item = &Arc<Meeting>> {
        self.meetings.iter().filter(move |m| self.only.is_none_or_eq(m.index))
    }

    fn each(&self, label: &str, f: impl Fn(&Meeting) -> usize) -> usize {
        self.targets()
            .map(|m| {
                let n = f(m);
                m.note_fault(format!("{label} ({n} sockets)"));
                n
            })
            .sum()
    }

    /// Resets every media socket carrying `kind` (`MediaType::ALL`: every media socket): the
    /// TCP connection is reset, no close frame.
    pub fn drop_media(&self, kind: MediaType) -> usize {
        self.each(&format!("drop_media {}", kind.key()), |m| m.to_media(kind, || Outbound::Abort))
    }

    /// Closes every media socket carrying `kind` with a close frame (code 1000).
    pub fn close_media(&self, kind: MediaType) -> usize {
        self.each(&format!("close_media {}", kind.key()), |m| m.to_media(kind, || Outbound::Close))
    }

    /// Resets the signaling socket (no close frame).
    pub fn drop_signaling(&self) -> usize {
        self.each("drop_signaling", |m| m.to_signaling(Outbound::Abort))
    }

    /// Closes the signaling socket with a close frame.
    pub fn close_signaling(&self) -> usize {
        self.each("close_signaling", |m| m.to_signaling(Outbound::Close))
    }

    /// Stops sending and answering keep-alives (`false` resumes).
    pub fn stall_keepalives(&self, on: bool) {
        self.flags.stall_keepalives.store(on, Ordering::Relaxed);
        self.note(&format!("stall_keepalives {on}"));
    }

    /// Waits this long before every outgoing message (`Duration::ZERO` turns it off).
    pub fn delay(&self, d: Duration) {
        self.flags.delay_us.store(d.as_micros().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
        self.note(&format!("delay {d:?}"));
    }

    /// Sends a frame that is not JSON (`{not json`) on every socket.
    pub fn malformed_json(&self) -> usize {
        self.each("malformed_json", |m| m.to_all(|| Outbound::Raw(b"{not json".to_vec())))
    }

    /// Sends an audio/video/deskshare message whose `data` is not base64 on every media
    /// socket carrying one of them.
    pub fn invalid_base64(&self) -> usize {
        self.each("invalid_base64", |m| m.invalid_base64())
    }

    /// Sends one valid media message carrying `bytes` payload bytes (its frame is about
    /// 4/3 of that) on every media socket that carries audio, video or deskshare. It is a real
    /// packet, counted in the summary.
    pub fn oversized(&self, bytes: usize) -> usize {
        self.each(&format!("oversized {bytes}"), |m| m.oversized(bytes))
    }

    /// Sends `{"msg_type":<t>}` on every socket.
    pub fn unknown_msg_type(&self, msg_type: i64) -> usize {
        let frame = format!("{{\"msg_type\":{msg_type}}}").into_bytes();
        self.each(&format!("unknown_msg_type {msg_type}"), |m| m.to_all(|| Outbound::Raw(frame.clone())))
    }

    /// Answers the next handshake (signaling or data) with this status instead of 0.
    pub fn refuse_next_handshake(&self, status: i64) {
        *self.flags.refuse_next.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
        self.note(&format!("refuse_next_handshake {status}"));
    }

    /// Leaves signaling and data handshakes unanswered while on.
    pub fn ignore_handshakes(&self, on: bool) {
        self.flags.ignore_handshakes.store(on, Ordering::Relaxed);
        self.note(&format!("ignore_handshakes {on}"));
    }

    /// Ends the stream now with this stop reason (drain, stop messages, close, webhook).
    pub fn end_meeting(&self, stop_reason: i32) {
        for m in self.targets() {
            m.note_fault(format!("end_meeting {stop_reason}"));
            m.request_end(stop_reason);
        }
    }

    /// Sends a `MEDIA_CONNECTION_INTERRUPTED` event (7) on signaling.
    pub fn media_interrupted(&self) -> usize {
        self.each("media_interrupted", |m| m.send_event_now(7))
    }

    /// Sends this text as one frame on the signaling socket.
    pub fn send_signaling_raw(&self, text: &str) -> usize {
        self.each("send_signaling_raw", |m| m.to_signaling(Outbound::Raw(text.as_bytes().to_vec())))
    }

    fn note(&self, what: &str) {
        for m in self.targets() {
            m.note_fault(what.to_owned());
        }
    }
}

trait OptionEq {
    fn is_none_or_eq(&self, v: usize) -> bool;
}

impl OptionEq for Option<usize> {
    fn is_none_or_eq(&self, v: usize) -> bool {
        self.is_none_or(|x| x == v)
    }
}
