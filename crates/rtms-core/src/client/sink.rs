//! Where events go: callbacks (called on the connection's task) and channels.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::mpsc;

use crate::event::Event;

/// A callback receiving every event. It runs on the socket's task: it must not block.
pub type Callback = Arc<dyn Fn(&Event) + Send + Sync>;

#[derive(Clone)]
pub(crate) enum Sink {
    Callback(Callback),
    Channel(mpsc::UnboundedSender<Event>),
}

/// The sinks of one session, fixed when it joins.
#[derive(Clone, Default)]
pub(crate) struct Sinks(pub(crate) Arc<Vec<Sink>>);

impl Sinks {
    /// Delivers one event to every sink. A panicking callback is caught and logged; it never
    /// takes the connection down.
    pub(crate) fn emit(&self, event: Event) {
        let sinks = &self.0;
        let last = sinks.len().saturating_sub(1);
        let mut event = Some(event);
        for (i, sink) in sinks.iter().enumerate() {
            match sink {
                Sink::Callback(cb) => {
                    if let Some(ev) = &event {
                        if catch_unwind(AssertUnwindSafe(|| cb(ev))).is_err() {
                            tracing::error!(event = ev.name(), "event callback panicked; event skipped for that callback");
                        }
                    }
                }
                Sink::Channel(tx) => {
                    let ev = if i == last { event.take() } else { event.clone() };
                    if let Some(ev) = ev {
                        let _ = tx.send(ev);
                    }
                }
            }
        }
    }
}

/// An async stream of a client's events ([`crate::Client::events`]). Ends after the
/// [`Event::Leave`] of the last session once the client is dropped.
pub struct Events {
    pub(crate) rx: mpsc::UnboundedReceiver<Event>,
}

impl Events {
    /// The next event, or `None` when the client is gone.
    pub async fn recv(&mut self) -> Option<Event> {
        self.rx.recv().await
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.rx.try_recv().ok()
    }
}

impl futures_util::Stream for Events {
    type Item = Event;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.rx.poll_recv(cx)
    }
}
