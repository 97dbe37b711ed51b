use super::*;
use crate::params::{AudioParams, MediaParams, TranscriptParams};
use serde_json::json;

fn round_trip(m: Message) {
    let bytes = m.encode();
    let back = Message::decode(&bytes).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)));
    assert_eq!(back, m, "{}", String::from_utf8_lossy(&bytes));
}

#[test]
fn every_message_round_trips() {
    let media = |_kind: MediaType, data: &[u8]| MediaContent {
        user_id: 16778240,
        user_name: "Alice".into(),
        data: bytes::Bytes::copy_from_slice(data),
        timestamp: 1_700_000_000_100,
        ..Default::default()
    };
    let all = vec![
        Message::SignalingHandshakeReq(SignalingHandshakeReq {
            protocol_version: 1,
            meeting_uuid: "m1".into(),
            rtms_stream_id: "s1".into(),
            signature: "abc".into(),
            sequence: Some(json!(7)),
            rtms_client_agent: Some("rtms-rs".into()),
            buffer_data: None,
        }),
        Message::SignalingHandshakeResp(SignalingHandshakeResp {
            protocol_version: 1,
            sequence: Some(json!(7)),
            status_code: Some(0),
            reason: Some(String::new()),
            media_server: Some(MediaServer {
                server_urls: ServerUrls { audio: Some("ws://a".into()), all: Some("ws://all".into()), ..Default::default() },
            }),
        }),
        Message::DataHandshakeReq(DataHandshakeReq {
            protocol_version: 1,
            meeting_uuid: "m1".into(),
            rtms_stream_id: "s1".into(),
            signature: "abc".into(),
            sequence: Some(json!(8)),
            media_type: 9,
            payload_encryption: None,
            media_params: Some(MediaParams {
                audio: Some(AudioParams::sdk_default()),
                transcript: Some(TranscriptParams::default()),
                ..Default::default()
            }),
        }),
        Message::DataHandshakeResp(DataHandshakeResp {
            protocol_version: 1,
            sequence: None,
            status_code: Some(0),
            reason: None,
            payload_encrypted: false,
            media_params: Some(MediaParams { audio: Some(AudioParams::default()), ..Default::default() }),
        }),
        Message::EventSubscription(EventSubscription { events: vec![EventSubscriptionItem { event_type: 2, subscribe: true }] }),
        Message::EventUpdate(EventUpdate {
            event: json!({"event_type":3,"timestamp":5,"participants":[{"user_id":1,"user_name":"A"}]}).as_object().cloned().unwrap(),
        }),
        Message::ClientReadyAck(ClientReadyAck { rtms_stream_id: "s1".into() }),
        Message::StreamStateUpdate(StreamStateUpdate { rtms_stream_id: Some("s1".into()), state: 4, reason: 6, timestamp: 9 }),
        Message::SessionStateUpdate(SessionStateUpdate { rtms_session_id: "x".into(), state: 2, reason: 0, timestamp: 9 }),
        Message::SessionStateReq(SessionStateReq { rtms_session_id: "x".into() }),
        Message::SessionStateResp(SessionStateUpdate { rtms_session_id: "x".into(), state: 2, reason: 0, timestamp: 9 }),
        Message::KeepAliveReq(KeepAlive { sequence: Some(json!(1)), timestamp: Some(json!(1795553652500u64)) }),
        Message::KeepAliveResp(KeepAlive { sequence: Some(json!(1)), timestamp: Some(json!(1795553652500u64)) }),
        Message::Media(MediaType::AUDIO, media(MediaType::AUDIO, &[0, 1, 2, 3])),
        Message::Media(MediaType::VIDEO, media(MediaType::VIDEO, &[0, 0, 0, 1, 0x67])),
        Message::Media(MediaType::DESKSHARE, media(MediaType::DESKSHARE, b"\x89PNG")),
        Message::Media(
            MediaType::TRANSCRIPT,
            MediaContent {
                start_time: Some(1),
                end_time: Some(2),
                language: Some(9),
                attribute: Some(1),
                sentence_id: Some(3),
                ..media(MediaType::TRANSCRIPT, "Hello \"world\" é".as_bytes())
            },
        ),
        Message::Media(MediaType::CHAT, media(MediaType::CHAT, b"hi all")),
        Message::StreamStateReq(StreamRef { rtms_stream_id: "s1".into() }),
        Message::StreamStateResp(StreamStateUpdate { rtms_stream_id: Some("s1".into()), state: 1, reason: 0, timestamp: 3 }),
        Message::StreamCloseReq(StreamRef { rtms_stream_id: "s1".into() }),
        Message::StreamCloseResp(StreamCloseResp { rtms_stream_id: "s1".into(), status_code: Some(0), reason: None }),
        Message::AudioMetadata(AudioMetadata { interpreter: json!({"sample_rate":1}) }),
        Message::VideoSubscriptionReq(VideoSubscriptionReq { user_id: 5, subscribe: true, timestamp: 1 }),
        Message::VideoSubscriptionResp(VideoSubscriptionResp { user_id: 5, status_code: 0, reason: String::new(), timestamp: 1 }),
        Message::Unknown { msg_type: 99, raw: json!({"msg_type":99,"x":1}) },
    ];
    for m in all {
        round_trip(m);
    }
}

#[test]
fn audio_vector_small() {
    let frame =
        br#"{"msg_type":14,"content":{"user_id":16778240,"user_name":"Alice","data":"AAECAwQFBgcICQ==","timestamp":1700000000100}}"#;
    let Message::Media(kind, c) = Message::decode(frame).unwrap() else { panic!("not media") };
    assert_eq!(kind, MediaType::AUDIO);
    assert_eq!(&c.data[..], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!((c.user_id, c.user_name.as_str(), c.timestamp), (16778240, "Alice", 1700000000100));
}

#[test]
fn audio_vector_l16() {
    let pcm: Vec<u8> = (0..320).flat_map(|i: i32| ((i * 100) as i16).to_le_bytes()).collect();
    let c = MediaContent {
        user_id: 16778240,
        user_name: "Alice".into(),
        data: bytes::Bytes::from(pcm.clone()),
        timestamp: 1732000000123,
        ..Default::default()
    };
    let frame = String::from_utf8(c.encode(MediaType::AUDIO)).unwrap();
    assert!(frame.contains("\"data\":\"AABkAMgALAGQAfQBWAK8AiAD"));
    let Message::Media(_, back) = Message::decode(frame.as_bytes()).unwrap() else { panic!() };
    assert_eq!(back.data.len(), 640);
    assert_eq!(&back.data[..], &pcm[..]);
}

#[test]
fn keep_alive_vector_echoes_fields() {
    let Message::KeepAliveReq(k) = Message::decode(br#"{"msg_type":12,"timestamp":1795553652500,"sequence":1}"#).unwrap() else { panic!() };
    let reply = String::from_utf8(Message::KeepAliveResp(k).encode()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&reply).unwrap();
    assert_eq!(v, json!({"msg_type":13,"sequence":1,"timestamp":1795553652500u64}));
}

#[test]
fn bad_input_is_a_typed_error() {
    assert!(matches!(Message::decode(b"{not json"), Err(DecodeError::Json(_))));
    assert_eq!(Message::decode(br#"{"msg_type":"6"}"#), Err(DecodeError::MissingMsgType));
    assert_eq!(Message::decode(br#"{"event":{}}"#), Err(DecodeError::MissingMsgType));
    assert!(matches!(
        Message::decode(br#"{"msg_type":14,"content":{"user_id":1,"user_name":"A","data":"!!!not base64","timestamp":1}}"#),
        Err(DecodeError::Base64 { msg_type: 14, .. })
    ));
    assert!(matches!(Message::decode(br#"{"msg_type":15}"#), Err(DecodeError::MissingField { field: "content", .. })));
    assert!(matches!(Message::decode(br#"{"msg_type":42,"foo":[1,2]}"#), Ok(Message::Unknown { msg_type: 42, .. })));
}

#[test]
fn lenient_fields() {
    // `stop_reason` spelling, aliases for the instance id, missing sequence, channel_id.
    let Message::StreamStateUpdate(s) = Message::decode(br#"{"msg_type":8,"state":4,"stop_reason":6,"timestamp":1}"#).unwrap() else {
        panic!()
    };
    assert_eq!(s.reason, 6);
    let Message::SignalingHandshakeReq(r) =
        Message::decode(br#"{"msg_type":1,"session_id":"S","rtms_stream_id":"x","signature":"y"}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(r.meeting_uuid, "S");
    let Message::Media(_, c) =
        Message::decode(br#"{"msg_type":17,"content":{"channel_id":"ch1","data":"hi","timestamp":1,"extra":true}}"#).unwrap()
    else {
        panic!()
    };
    assert_eq!((c.user_id, c.channel_id.as_deref(), &c.data[..]), (0, Some("ch1"), &b"hi"[..]));
    let Message::SignalingHandshakeResp(r) = Message::decode(br#"{"msg_type":2}"#).unwrap() else { panic!() };
    assert_eq!(r.status_code, None);
}

#[test]
fn pretty_styled_json_from_the_official_sdk_decodes() {
    let styled = b"{\n\t\"msg_type\" : 13,\n\t\"sequence\" : 1,\n\t\"timestamp\" : 1795553652500\n}\n";
    assert!(matches!(Message::decode(styled), Ok(Message::KeepAliveResp(_))));
}

#[test]
fn fast_peek_agrees_with_the_full_parse() {
    for frame in [
        &br#"{"msg_type":14,"content":{}}"#[..],
        br#"{"msg_type":6}"#,
        br#"{"msg_type":14.5}"#,
        br#"{"msg_type":-1,"a":1}"#,
        br#"{"msg_type":1e2}"#,
    ] {
        let peek: Result<i64, _> =
            serde_json::from_slice::<serde_json::Value>(frame).map_err(|_| ()).and_then(|v| v["msg_type"].as_i64().ok_or(()));
        assert_eq!(Message::peek_type(frame).ok(), peek.ok(), "{}", String::from_utf8_lossy(frame));
    }
}

#[test]
fn text_payloads_share_the_frame() {
    let frame = bytes::Bytes::from_static(
        br#"{"msg_type":17,"content":{"user_id":1,"user_name":"A","data":"hello","timestamp":1,"start_time":1,"end_time":2}}"#,
    );
    let Message::Media(_, c) = Message::decode_bytes(&frame).unwrap() else { panic!() };
    assert_eq!(&c.data[..], b"hello");
    let inside = frame.as_ptr() as usize..frame.as_ptr() as usize + frame.len();
    assert!(inside.contains(&(c.data.as_ptr() as usize)), "payload was copied");
}
