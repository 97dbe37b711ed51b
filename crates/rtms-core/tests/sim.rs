//! The client against rtms-sim over real loopback sockets: every media type and event,
//! leave semantics, keep-alives, TLS, layouts and injected faults.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rtms_core::params::{AudioParams, DeskshareParams, TranscriptParams, VideoParams};
use rtms_core::protocol::MediaType;
use rtms_core::{Client, ErrorKind, Event, JoinParams, MediaLayout};
use rtms_sim::{MeetingSummary, Scenario, Sim, SimConfig};

const L16_MULTI: AudioParams = AudioParams { content_type: 2, sample_rate: 1, channel: 1, codec: 1, data_opt: 2, send_rate: 20 };
const JPG: VideoParams = VideoParams { content_type: 3, codec: 5, resolution: 1, data_opt: 3, fps: 5 };
const PNG: DeskshareParams = DeskshareParams { content_type: 3, codec: 6, resolution: 1, fps: 1 };

async fn start(scenario: &str, tweak: impl FnOnce(&mut SimConfig)) -> Sim {
    let mut config = SimConfig::new(Scenario::builtin(scenario).expect("built-in scenario"));
    config.speed = 4.0;
    tweak(&mut config);
    Sim::start(config).await.expect("sim starts")
}

fn params(sim: &Sim) -> JoinParams {
    let m = &sim.meetings()[0];
    JoinParams::meeting(&m.meeting_uuid, &m.rtms_stream_id, &m.server_urls).credentials("sim-client-id", "sim-client-secret")
}

/// Everything: L16 audio per participant, JPG video, PNG share, transcript, chat, events.
fn full_client() -> Client {
    let c = Client::new();
    c.set_audio_params(L16_MULTI).unwrap();
    c.set_video_params(JPG).unwrap();
    c.set_deskshare_params(PNG).unwrap();
    c.set_transcript_params(TranscriptParams::default()).unwrap();
    c.enable_media(MediaType::AUDIO | MediaType::VIDEO | MediaType::DESKSHARE | MediaType::TRANSCRIPT | MediaType::CHAT);
    c.subscribe_events(&(1..=9).collect::<Vec<_>>()).unwrap();
    c
}

async fn until_leave(events: &mut rtms_core::Events, limit: Duration) -> Vec<Event> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(ev)) => {
                let end = matches!(ev, Event::Leave { .. });
                out.push(ev);
                if end {
                    return out;
                }
            }
            other => panic!("no Leave within {limit:?} ({other:?}); got {} events", out.len()),
        }
    }
}

fn received(events: &[Event]) -> BTreeMap<&'static str, (u64, u64, u32)> {
    let mut acc: BTreeMap<&'static str, (u64, u64, crc32fast::Hasher)> = BTreeMap::new();
    for ev in events {
        if let Event::Media(m) = ev {
            let e = acc.entry(m.kind.key()).or_insert_with(|| (0, 0, crc32fast::Hasher::new()));
            e.0 += 1;
            e.1 += m.content.data.len() as u64;
            e.2.update(&m.content.data);
        }
    }
    acc.into_iter().map(|(k, (p, b, h))| (k, (p, b, h.finalize()))).collect()
}

fn assert_media_matches(summary: &MeetingSummary, events: &[Event], kinds: &[&str]) {
    let got = received(events);
    for kind in kinds {
        let sent = summary.media_stats(kind);
        assert!(sent.packets > 0, "the simulator sent no {kind}");
        assert_eq!(got.get(kind).copied(), Some((sent.packets, sent.bytes, sent.crc32)), "{kind}: received != sent");
    }
}

#[tokio::test]
async fn receives_every_media_type_and_event_exactly() {
    let sim = start("quick", |_| {}).await;
    let client = full_client();
    let mut events = client.events();
    let info = client.join(params(&sim)).await.expect("join");
    assert_eq!(info.media.len(), 5, "one socket per media type: {:?}", info.media);
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    let summary = sim.wait().await.meetings.remove(0);

    assert_eq!(events.first(), Some(&Event::JoinConfirm { reason: 0 }));
    assert_media_matches(&summary, &events, &["audio", "video", "deskshare", "transcript", "chat"]);
    // Per participant audio, byte for byte.
    for ev in &events {
        if let Event::Media(m) = ev {
            assert!(!m.content.user_name.is_empty(), "media without user_name");
        }
    }
    let texts = |kind: MediaType| -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Media(m) if m.kind == kind => Some(String::from_utf8_lossy(&m.content.data).into_owned()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(texts(MediaType::TRANSCRIPT), summary.transcripts);
    assert_eq!(texts(MediaType::CHAT), summary.chats);
    let transcript_times = events.iter().any(|e| matches!(e, Event::Media(m) if m.kind == MediaType::TRANSCRIPT && m.content.start_time.is_some() && m.content.end_time.is_some()));
    assert!(transcript_times, "transcripts carry start/end times");

    let has = |f: &dyn Fn(&Event) -> bool| events.iter().any(f);
    assert!(has(&|e| matches!(e, Event::SessionUpdate { op: rtms_core::protocol::SessionEventOp::SESSION_EVENT_ADD, .. })));
    assert!(has(&|e| matches!(e, Event::ActiveSpeaker { user_id, .. } if *user_id != 0)));
    assert!(has(&|e| matches!(e, Event::Participants { joined: true, .. })));
    assert!(has(&|e| matches!(e, Event::UserUpdate { op: 1, .. })), "participant leave reaches the typed event");
    assert!(has(&|e| matches!(e, Event::Sharing { started: true, .. })));
    assert!(has(&|e| matches!(e, Event::Sharing { started: false, .. })));
    assert!(has(&|e| matches!(e, Event::ParticipantVideo { on: true, .. })));
    let raw = events.iter().filter(|e| matches!(e, Event::Raw { .. })).count();
    assert_eq!(raw, summary.events.len(), "every event reaches the raw (onEventEx) stream");
    match events.last() {
        Some(Event::Leave { reason, error: None }) => assert_eq!(Some(*reason), summary.stop_reason),
        other => panic!("{other:?}"),
    }
    let stats = client.stats();
    assert_eq!(stats.skipped + stats.unknown, 0, "{stats:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn official_defaults_get_opus_and_h264() {
    let sim = start("minimal", |_| {}).await;
    let client = Client::new();
    client.enable_media(MediaType::AUDIO | MediaType::VIDEO);
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    let summary = sim.wait().await.meetings.remove(0);
    assert_media_matches(&summary, &events, &["audio"]);
    let media = summary.observed.handshakes.iter().filter(|h| h.channel == "media").collect::<Vec<_>>();
    let audio = media.iter().find(|h| h.request["media_type"] == 1).expect("audio handshake");
    assert_eq!(audio.request["media_params"]["audio"]["codec"], 4, "OPUS by default");
    let video = media.iter().find(|h| h.request["media_type"] == 2).expect("video handshake");
    assert_eq!(video.request["media_params"]["video"]["codec"], 7, "H264 by default");
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_signature_is_refused_with_the_status() {
    let sim = start("minimal", |_| {}).await;
    let client = full_client();
    let err = client.join(params(&sim).credentials("sim-client-id", "wrong-secret")).await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::HandshakeRefused, Some(3)), "{err}");
    sim.shutdown().await;
}

#[tokio::test]
async fn leave_sends_stream_close_and_reports_it() {
    let sim = start("quick", |c| c.speed = 1.0).await;
    let client = full_client();
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    // Wait for media to flow, then leave.
    loop {
        if let Some(Event::Media(_)) = events.recv().await {
            break;
        }
    }
    client.leave().await.expect("leave");
    let events = until_leave(&mut events, Duration::from_secs(5)).await;
    assert!(matches!(events.last(), Some(Event::Leave { reason: 20, error: None })), "{:?}", events.last());
    assert!(!client.is_joined());
    assert_eq!(sim.summary().meetings[0].observed.stream_close_requests, 1);
    assert_eq!(client.leave().await.unwrap_err().kind(), ErrorKind::InvalidState);
    sim.shutdown().await;
}

#[tokio::test]
async fn leave_and_subscribe_from_inside_callbacks_while_media_flows() {
    let sim = start("quick", |c| c.speed = 1.0).await;
    let client = full_client();
    let audio = Arc::new(AtomicU32::new(0));
    let (c2, a2) = (client.clone(), audio.clone());
    client.on_event(move |ev| match ev {
        Event::JoinConfirm { reason: 0 } => c2.subscribe_events(&[5, 6]).expect("subscribe inside a callback"),
        Event::Media(m) if m.kind == MediaType::AUDIO && a2.fetch_add(1, Ordering::SeqCst) == 10 => assert!(c2.request_leave()),
        _ => {}
    });
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    let events = until_leave(&mut events, Duration::from_secs(5)).await;
    assert!(matches!(events.last(), Some(Event::Leave { reason: 20, .. })), "{:?}", events.last());
    let subs = &sim.summary().meetings[0].observed.subscriptions;
    assert!(subs.iter().any(|s| s.to_string().contains("\"event_type\":5")), "{subs:?}");
    sim.shutdown().await;
}

#[test]
fn leave_from_another_thread_while_media_flows_never_hangs() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    for trial in 0..8 {
        let sim = rt.block_on(start("quick", |c| c.speed = 1.0));
        let client = full_client();
        let mut events = client.events();
        rt.block_on(client.join(params(&sim))).expect("join");
        rt.block_on(async {
            let mut n = 0;
            while n < 5 {
                if let Some(Event::Media(_)) = events.recv().await {
                    n += 1;
                }
            }
        });
        let handle = rt.handle().clone();
        let c2 = client.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(handle.block_on(c2.leave()));
        });
        let result = rx.recv_timeout(Duration::from_secs(8)).unwrap_or_else(|_| panic!("leave() hung in trial {trial}"));
        result.expect("leave");
        rt.block_on(sim.shutdown());
    }
}

#[tokio::test]
async fn keepalives_are_answered_on_every_socket() {
    let sim = start("quick", |c| c.keepalive_interval = Duration::from_millis(100)).await;
    let client = full_client();
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    let summary = sim.wait().await.meetings.remove(0);
    let o = &summary.observed;
    assert!(o.keepalives_sent >= 6, "{o:?}");
    assert!(o.keepalives_answered + 6 >= o.keepalives_sent, "{o:?}");
    assert_ne!(summary.stop_reason, Some(24));
    assert!(matches!(events.last(), Some(Event::Leave { error: None, .. })));
    sim.shutdown().await;
}

#[tokio::test]
async fn wss_with_the_simulators_ca() {
    let ca = std::env::temp_dir().join(format!("rtms-sim-ca-{}.pem", std::process::id()));
    let ca2 = ca.clone();
    let sim = start("minimal", move |c| {
        c.tls = true;
        c.ca_out = Some(ca2);
    })
    .await;
    assert!(sim.signaling_url().starts_with("wss://"));
    let client = full_client();
    client.set_ca_file(&ca);
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join over TLS");
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    assert!(events.iter().any(|e| matches!(e, Event::Media(_))));
    // Without the CA the certificate is rejected.
    let err = full_client().join(params(&sim)).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Tls | ErrorKind::Connect), "{err}");
    let _ = std::fs::remove_file(&ca);
    sim.shutdown().await;
}

#[tokio::test]
async fn combined_layout_uses_one_socket() {
    let sim = start("quick", |_| {}).await;
    let client = full_client();
    client.set_media_layout(MediaLayout::Combined);
    let mut events = client.events();
    let info = client.join(params(&sim)).await.expect("join");
    assert_eq!(info.media.len(), 1, "{:?}", info.media);
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    let summary = sim.wait().await.meetings.remove(0);
    assert_media_matches(&summary, &events, &["audio", "transcript", "chat"]);
    sim.shutdown().await;
}

#[tokio::test]
async fn mixed_audio_is_attributed_to_the_active_speaker() {
    let sim = start("quick", |_| {}).await;
    let client = full_client();
    client.set_audio_params(AudioParams { data_opt: 1, ..L16_MULTI }).unwrap();
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    let events = until_leave(&mut events, Duration::from_secs(30)).await;
    let attributed = events.iter().filter(|e| matches!(e, Event::Media(m) if m.attributed && m.content.user_id != 0)).count();
    assert!(attributed > 0, "mixed audio after an active-speaker event carries that speaker");
    sim.shutdown().await;
}

#[tokio::test]
async fn video_subscription_is_answered() {
    let sim = start("quick", |c| c.speed = 1.0).await;
    let client = full_client();
    client.set_video_params(VideoParams { data_opt: 4, ..JPG }).unwrap();
    let mut events = client.events();
    client.join(params(&sim)).await.expect("join");
    let uid = loop {
        match events.recv().await {
            Some(Event::Participants { joined: true, participants, .. }) => break participants[0].user_id,
            Some(_) => continue,
            None => panic!("no participants"),
        }
    };
    client.subscribe_video(uid, true).unwrap();
    let answer = loop {
        match tokio::time::timeout(Duration::from_secs(5), events.recv()).await {
            Ok(Some(Event::VideoSubscribed { user_id, status, .. })) => break (user_id, status),
            Ok(Some(_)) => continue,
            other => panic!("no answer: {other:?}"),
        }
    };
    assert_eq!(answer, (uid, 0));
    client.leave().await.unwrap();
    sim.shutdown().await;
}
