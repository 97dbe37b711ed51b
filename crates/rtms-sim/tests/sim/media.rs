use rtms_sim::{Scenario, Sim};
use serde_json::{json, Value};

use crate::common::*;

fn media_msgs(msgs: &[Value]) -> impl Iterator<Item = &Value> {
    msgs.iter().filter(|m| (14..=18).contains(&m["msg_type"].as_i64().unwrap_or(0)))
}

#[tokio::test]
async fn quick_scenario_end_to_end() {
    let mut cfg = config(Scenario::builtin("quick").unwrap());
    cfg.speed = 4.0;
    let sim = Sim::start(cfg).await.unwrap();
    let sockets = [
        ("audio", 1, json!({"audio": {"codec": 1, "sample_rate": 1, "channel": 1, "data_opt": 2, "send_rate": 20}})),
        ("video", 2, json!({"video": {"codec": 5, "resolution": 1, "fps": 5, "data_opt": 3}})),
        ("deskshare", 4, json!({"deskshare": {"codec": 6, "resolution": 1, "fps": 2}})),
        ("transcript", 8, Value::Null),
        ("chat", 16, Value::Null),
    ];
    let joined = join(&sim, 0, &sockets, &[2, 3]).await;
    let (sig, media) = drain_all(joined).await;
    let summary = sim.wait().await;
    let s = &summary.meetings[0];

    // Events: only 1 (always) and the subscribed 2 and 3.
    let events: Vec<i64> = sig.iter().filter(|m| m["msg_type"] == 6).map(|m| m["event"]["event_type"].as_i64().unwrap()).collect();
    assert_eq!(events[0], 1, "{events:?}");
    assert!(events.contains(&2) && events.contains(&3), "{events:?}");
    assert!(events.iter().all(|e| [1, 2, 3].contains(e)), "filtered: {events:?}");
    assert_eq!(s.event_types(), events);
    let participants = &sig.iter().find(|m| m["event"]["event_type"] == 3).unwrap()["event"]["participants"];
    assert_eq!(participants.as_array().unwrap().len(), 3);
    assert_eq!(participants[0]["user_name"], "Alice");

    // Session started first; the end is STOPPED then TERMINATED with the scenario's reason.
    let states: Vec<(i64, i64)> = sig
        .iter()
        .filter(|m| m["msg_type"] == 8 || m["msg_type"] == 9)
        .map(|m| (m["msg_type"].as_i64().unwrap(), m["state"].as_i64().unwrap()))
        .collect();
    assert_eq!(states.first(), Some(&(9, 2)));
    assert_eq!(&states[states.len() - 2..], &[(9, 5), (8, 4)]);
    let stop = sig.iter().rfind(|m| m["msg_type"] == 8).unwrap();
    assert_eq!(stop["reason"], 6);
    assert!(stop["timestamp"].is_u64() && stop["rtms_stream_id"] == "sim-quick-stream");
    assert_eq!(s.stop_reason, Some(6));
    assert!(s.started && s.ended);

    // Every media message names its user, is stamped, and matches the summary byte for byte.
    for (key, msgs) in &media {
        for m in media_msgs(msgs) {
            let c = &m["content"];
            assert!(c["user_name"].is_string() && c["user_id"].is_i64() && c["timestamp"].is_u64(), "{key}: {m}");
            assert!(c["sim_sent_us"].as_u64().unwrap() > 1_600_000_000_000_000);
        }
        let msg_type = match key.as_str() {
            "audio" => 14,
            "video" => 15,
            "deskshare" => 16,
            "transcript" => 17,
            _ => 18,
        };
        let (n, crc) = crc_of(msgs, msg_type);
        let stats = s.media_stats(key);
        assert!(n > 0, "{key}: nothing received");
        assert_eq!((n, crc), (stats.packets, stats.crc32), "{key}");
    }

    // Audio: L16 16 kHz mono 20 ms, only speakers.
    let audio: Vec<&Value> = media_msgs(&media["audio"]).collect();
    assert!(audio.iter().all(|m| payload(m).len() == 640));
    let speakers: std::collections::BTreeSet<i64> = audio.iter().map(|m| m["content"]["user_id"].as_i64().unwrap()).collect();
    assert_eq!(speakers.len(), 3);
    assert_eq!(audio.len(), 75 + 75 + 25 + 50, "every 20 ms of every speech segment");
    let alice = s.user_stats("audio", 16778240).unwrap();
    assert_eq!(alice.user_name, "Alice");
    assert!(alice.packets > 0);

    // Video: JPG; deskshare: PNG from Bob only.
    assert!(media_msgs(&media["video"]).all(|m| payload(m).starts_with(&[0xFF, 0xD8])));
    let share: Vec<&Value> = media_msgs(&media["deskshare"]).collect();
    assert!(share.iter().all(|m| payload(m).starts_with(b"\x89PNG") && m["content"]["user_name"] == "Bob"));

    // Transcripts with start/end times, language, attribute, sentence id.
    let lines: Vec<&Value> = media_msgs(&media["transcript"]).collect();
    assert_eq!(lines.len(), 3);
    for (i, l) in lines.iter().enumerate() {
        let c = &l["content"];
        assert!(c["start_time"].as_u64().unwrap() <= c["end_time"].as_u64().unwrap());
        assert_eq!(c["end_time"], c["timestamp"]);
        assert_eq!(c["language"], 9);
        assert_eq!(c["attribute"], 1);
        assert_eq!(c["sentence_id"], i as i64 + 1);
    }
    assert_eq!(s.transcripts[0], "Good morning everyone, let's get started.");
    assert_eq!(s.chats, vec!["slides: https://example.invalid/deck", "bye 👋"]);
    assert_eq!(media_msgs(&media["chat"]).count(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn opus_and_h264_on_one_combined_socket() {
    let mut cfg = config(short(800));
    cfg.speed = 2.0;
    let sim = Sim::start(cfg).await.unwrap();
    let params = json!({
        "audio": {"channel": 2, "codec": 4, "content_type": 2, "data_opt": 2, "sample_rate": 3, "send_rate": 20},
        "video": {"codec": 7, "content_type": 3, "data_opt": 3, "fps": 30, "resolution": 1}
    });
    let joined = join(&sim, 0, &[("all", 3, params)], &[]).await;
    let (_sig, media) = drain_all(joined).await;
    let msgs = &media["all"];
    let mut dec = opus::Decoder::new(48_000, opus::Channels::Stereo).unwrap();
    let mut pcm = vec![0i16; 960 * 2];
    let mut opus_packets = 0;
    for m in msgs.iter().filter(|m| m["msg_type"] == 14) {
        assert_eq!(dec.decode(&payload(m), &mut pcm, false).unwrap(), 960);
        opus_packets += 1;
    }
    assert!(opus_packets >= 30, "{opus_packets}");
    let video: Vec<Vec<u8>> = msgs.iter().filter(|m| m["msg_type"] == 15).map(payload).collect();
    assert!(video.len() >= 15, "{}", video.len());
    assert!(video[0].starts_with(&[0, 0, 0, 1, 0x67]), "Annex-B SPS first");
    assert!(video.iter().all(|f| f.starts_with(&[0, 0, 0, 1])));
    sim.shutdown().await;
}

#[tokio::test]
async fn pcm_g711_and_mixed_audio_sizes() {
    let mut cfg = config(short(400));
    cfg.speed = 2.0;
    let sim = Sim::start(cfg).await.unwrap();
    let m = sim.meetings()[0].clone();
    let (mut sig, resp) = open_signaling(&sim, &m).await;
    let all = resp["media_server"]["server_urls"]["all"].as_str().unwrap().to_owned();
    let audio = resp["media_server"]["server_urls"]["audio"].as_str().unwrap().to_owned();
    let (g711, r) =
        open_media(&sim, &m, &audio, 1, json!({"audio": {"codec": 2, "sample_rate": 0, "channel": 1, "data_opt": 1, "send_rate": 20}}))
            .await;
    assert_eq!(r["status_code"], 0);
    let (_other, r) = open_media(&sim, &m, &all, 2, json!({"video": {"codec": 6, "fps": 1, "resolution": 1, "data_opt": 5}})).await;
    assert_eq!(r["status_code"], 0);
    send(&mut sig, json!({"msg_type": 7})).await;
    let audio_msgs = drain(g711).await;
    let packets: Vec<&Value> = audio_msgs.iter().filter(|m| m["msg_type"] == 14).collect();
    assert!(packets.len() >= 19, "mixed audio runs the whole meeting: {}", packets.len());
    for p in &packets {
        assert_eq!(payload(p).len(), 160, "8 kHz × 20 ms × 1 byte");
        assert_eq!(p["content"]["user_id"], 0);
        assert_eq!(p["content"]["user_name"], "");
    }
    drop(sig);
    let s = sim.wait().await;
    let gallery = s.meetings[0].user_stats("video", 0).expect("gallery video is user 0");
    assert!(gallery.packets >= 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn l16_lengths_follow_rate_channels_and_interval() {
    for (rate, channels, send_rate, bytes) in [(3, 2, 20, 3840), (1, 1, 40, 1280), (2, 1, 10, 640)] {
        let mut cfg = config(short(200));
        cfg.speed = 2.0;
        let sim = Sim::start(cfg).await.unwrap();
        let params = json!({"audio": {"codec": 1, "sample_rate": rate, "channel": channels, "data_opt": 2, "send_rate": send_rate}});
        let joined = join(&sim, 0, &[("audio", 1, params)], &[]).await;
        let (_sig, media) = drain_all(joined).await;
        let packets: Vec<Vec<u8>> = media["audio"].iter().filter(|m| m["msg_type"] == 14).map(payload).collect();
        assert!(!packets.is_empty());
        assert!(packets.iter().all(|p| p.len() == bytes), "rate {rate} ch {channels} {send_rate} ms");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn individual_video_follows_video_subscription() {
    let mut cfg = config(short(1200));
    cfg.speed = 2.0;
    let sim = Sim::start(cfg).await.unwrap();
    let params = json!({"video": {"codec": 5, "resolution": 1, "fps": 5, "data_opt": 4}});
    let mut joined = join(&sim, 0, &[("video", 2, params)], &[]).await;
    send(&mut joined.sig, json!({"msg_type": 28, "user_id": 16779264, "subscribe": true, "timestamp": 8112886})).await;
    let ok = next_of(&mut joined.sig, 29).await;
    assert_eq!((ok["user_id"].as_i64(), ok["status_code"].as_i64(), ok["reason"].as_str()), (Some(16779264), Some(0), Some("")));
    send(&mut joined.sig, json!({"msg_type": 28, "user_id": 42, "subscribe": true, "timestamp": 8112887})).await;
    let bad = next_of(&mut joined.sig, 29).await;
    assert_ne!(bad["status_code"], 0);
    let (_sig, media) = drain_all(joined).await;
    let users: std::collections::BTreeSet<i64> =
        media["video"].iter().filter(|m| m["msg_type"] == 15).map(|m| m["content"]["user_id"].as_i64().unwrap()).collect();
    assert_eq!(users.into_iter().collect::<Vec<_>>(), vec![16779264], "only Bob, as subscribed");
    let s = sim.summary();
    assert_eq!(s.meetings[0].observed.video_subscriptions.len(), 2);
    sim.shutdown().await;
}
