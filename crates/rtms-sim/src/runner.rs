//! A meeting's life: wait for the client, settle, play the signaling timeline, end (drain,
//! stop messages, close, `rtms_stopped`).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map};
use tokio::sync::watch;

use crate::meeting::{Meeting, Phase};
use crate::scenario::TimedAction;
use crate::util::unix_ms;
use crate::webhook::Webhook;

/// Runs one meeting to its end.
pub(crate) async fn run(m: Arc<Meeting>, webhook: Option<Arc<Webhook>>) {
    let mut end_rx = m.end_rx();
    let mut ready = m.ready_rx();
    let ready_first = tokio::select! {
        ok = async { ready.wait_for(|n| *n > 0).await.is_ok() } => ok,
        r = wait_end(&mut end_rx) => return finish(&m, r, webhook).await,
    };
    let reason = if ready_first { play(&m, &mut end_rx).await } else { wait_end(&mut end_rx).await };
    finish(&m, reason, webhook).await;
}

async fn wait_end(rx: &mut watch::Receiver<Option<i32>>) -> i32 {
    let reason = rx.wait_for(Option::is_some).await.ok().and_then(|r| *r);
    match reason {
        Some(r) => r,
        None => std::future::pending().await,
    }
}

/// Resolves once the signaling socket has been gone for the reconnect grace.
async fn signaling_lost(m: &Meeting) {
    let mut rx = m.signaling_rx();
    loop {
        let closed = rx.wait_for(|up| !*up).await.is_err();
        if closed {
            return std::future::pending().await;
        }
        let back = tokio::time::timeout(m.reconnect_grace(), rx.wait_for(|up| *up)).await.is_ok();
        if !back {
            tracing::warn!(stream = %m.info.rtms_stream_id, "signaling did not come back");
            return;
        }
    }
}

/// Plays the scenario; returns the stop reason.
async fn play(m: &Meeting, end_rx: &mut watch::Receiver<Option<i32>>) -> i32 {
    tokio::select! {
        _ = m.settle() => {}
        r = wait_end(end_rx) => return r,
    }
    let clock = m.start_clock();
    m.set_phase(Phase::Running);
    m.record(|r| r.summary.started = true);
    tracing::info!(stream = %m.info.rtms_stream_id, "scenario started");
    m.send_session_state(2, 0, clock.epoch_ms);
    let mut first = Map::new();
    first.insert("event_type".into(), json!(1));
    m.send_event(first, clock.epoch_ms);

    let lost = signaling_lost(m);
    tokio::pin!(lost);
    for item in &m.timeline.items {
        tokio::select! {
            _ = tokio::time::sleep_until(m.due(&clock, item.at_ms as f64)) => {}
            r = wait_end(end_rx) => return r,
            _ = &mut lost => return 19,
        }
        let ts = m.stamp(item.at_ms);
        match &item.action {
            TimedAction::Event(e) => {
                m.send_event(e.clone(), ts);
            }
            TimedAction::SessionState(s) => {
                m.send_session_state(*s, 0, ts);
            }
        }
    }
    tokio::select! {
        _ = tokio::time::sleep_until(m.due(&clock, m.scenario.meeting.duration_ms as f64)) => {}
        r = wait_end(end_rx) => return r,
        _ = &mut lost => return 19,
    }
    // Producers that fell behind (a busy machine) still send what was due before the end.
    tokio::select! {
        _ = tokio::time::timeout(Duration::from_secs(2), m.wait_producers()) => {}
        r = wait_end(end_rx) => return r,
        _ = &mut lost => return 19,
    }
    tokio::select! {
        _ = m.wait_floods() => {}
        r = wait_end(end_rx) => return r,
        _ = &mut lost => return 19,
    }
    m.scenario.meeting.stop_reason
}

/// Stops media, drains, sends SESSION_STATE STOPPED then STREAM_STATE TERMINATED (Zoom's
/// SDK drops every socket on the latter), closes the sockets and posts `rtms_stopped`.
async fn finish(m: &Meeting, reason: i32, webhook: Option<Arc<Webhook>>) {
    tracing::info!(stream = %m.info.rtms_stream_id, reason, "stream ending");
    m.set_phase(Phase::Ending);
    tokio::time::sleep(m.cfg.drain).await;
    let ts = unix_ms();
    m.send_session_state(5, reason, ts);
    m.send_stream_state(4, reason, ts);
    // Let the client close first: Zoom's SDK handles close frames at once but messages only
    // when the app polls, so closing now would beat TERMINATED and it would report 960.
    m.wait_disconnected(Duration::from_secs(1)).await;
    m.close_all();
    m.record(|r| {
        r.summary.stop_reason = Some(reason);
        r.summary.ended = true;
    });
    if let Some(w) = webhook {
        let record = w.post(&w.stopped_body(&m.info, &m.scenario.meeting.operator_id, reason)).await;
        m.record(|r| r.summary.webhooks.push(record));
    }
    m.set_phase(Phase::Ended);
    tracing::info!(stream = %m.info.rtms_stream_id, "stream ended");
}
