use std::collections::BTreeSet;

use rtms_sim::{Scenario, Sim};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn many_meetings_at_once() {
    let spec = short(1000).meeting;
    let scenario = Scenario::generate(spec, 4).unwrap();
    let mut cfg = config(scenario);
    cfg.meetings = 3;
    cfg.speed = 2.0;
    let sim = Sim::start(cfg).await.unwrap();
    let infos = sim.meetings();
    assert_eq!(infos.len(), 3);
    let ids: BTreeSet<&str> = infos.iter().map(|m| m.rtms_stream_id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    let mut clients = Vec::new();
    for i in 0..3 {
        let sockets = [("audio", 1, json!({"audio": {"codec": 1, "data_opt": 2}})), ("transcript", 8, serde_json::Value::Null)];
        let j = join(&sim, i, &sockets, &[]).await;
        clients.push(tokio::spawn(drain_all(j)));
    }
    let mut received = Vec::new();
    for c in clients {
        received.push(c.await.unwrap());
    }
    let s = sim.wait().await;
    for (i, (_, media)) in received.iter().enumerate() {
        let ms = &s.meetings[i];
        assert_eq!(ms.rtms_stream_id, infos[i].rtms_stream_id);
        assert_eq!(crc_of(&media["audio"], 14), (ms.media_stats("audio").packets, ms.media_stats("audio").crc32));
        assert_eq!(crc_of(&media["transcript"], 17).0, ms.transcripts.len() as u64);
        assert!(ms.users.iter().filter(|u| u.media == "audio").count() >= 1);
        assert_eq!(ms.stop_reason, Some(6));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn flood_sends_exactly_n_packets() {
    let mut cfg = config(short(200));
    cfg.flood = Some(500);
    let sim = Sim::start(cfg).await.unwrap();
    let j = join(&sim, 0, &[("audio", 1, json!({"audio": {"codec": 1, "data_opt": 2}}))], &[]).await;
    let (_sig, media) = drain_all(j).await;
    let (n, crc) = crc_of(&media["audio"], 14);
    assert_eq!(n, 500);
    let s = sim.wait().await;
    assert_eq!((s.meetings[0].media_stats("audio").packets, s.meetings[0].media_stats("audio").crc32), (500, crc));
    sim.shutdown().await;
}

/// Manual load check: `cargo test -p rtms-sim --test sim heavy -- --ignored --nocapture`.
/// Twenty meetings of four people with the official SDK's default formats (Opus 48 kHz
/// stereo per participant, H.264 HD 30 fps video and share, transcripts) for 5 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn heavy_load_with_sdk_defaults() {
    let spec = short(5000).meeting;
    let mut cfg = config(Scenario::generate(spec, 4).unwrap());
    cfg.meetings = 20;
    let sim = Sim::start(cfg).await.unwrap();
    let audio = json!({"audio": {"channel": 2, "codec": 4, "content_type": 2, "data_opt": 2, "sample_rate": 3, "send_rate": 20}});
    let video = json!({"video": {"codec": 7, "content_type": 3, "data_opt": 3, "fps": 30, "resolution": 2}});
    let share = json!({"deskshare": {"codec": 7, "content_type": 3, "fps": 30, "resolution": 2}});
    let started = std::time::Instant::now();
    let cpu = || {
        std::fs::read_to_string("/proc/self/stat")
            .ok()
            .map(|s| s.split_whitespace().skip(13).take(2).map(|v| v.parse::<u64>().unwrap_or(0)).sum::<u64>())
            .unwrap_or(0)
    };
    let cpu0 = cpu();
    let mut clients = Vec::new();
    for i in 0..20 {
        let sockets = [
            ("audio", 1, audio.clone()),
            ("video", 2, video.clone()),
            ("deskshare", 4, share.clone()),
            ("transcript", 8, serde_json::Value::Null),
        ];
        let j = join(&sim, i, &sockets, &[]).await;
        clients.push(tokio::spawn(drain_all(j)));
    }
    for c in clients {
        c.await.unwrap();
    }
    let s = sim.wait().await;
    let total: u64 = s.meetings.iter().map(|m| m.media.values().map(|v| v.packets).sum::<u64>()).sum();
    println!("{} meetings, {total} packets in {:?}, {} CPU ticks (1/100 s)", s.meetings.len(), started.elapsed(), cpu() - cpu0);
    assert!(s.meetings.iter().all(|m| m.stop_reason == Some(6)));
    sim.shutdown().await;
}
