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
