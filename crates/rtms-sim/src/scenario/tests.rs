use super::*;

#[test]
fn builtins_load() {
    for name in Scenario::builtin_names() {
        let s = Scenario::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!s.participants.is_empty(), "{name}");
        assert!(!s.transcripts.is_empty() && !s.chats.is_empty(), "{name}");
        assert!(s.speaking.iter().all(|x| matches!(x.user, UserRef::Id(_))), "{name}: names resolved");
    }
    let demo = Scenario::builtin("demo").unwrap();
    assert_eq!(demo.participants.len(), 3);
    assert_eq!(demo.meeting.duration_ms, 120_000);
    assert!(!demo.shares.is_empty() && !demo.video.is_empty());
    assert!(Scenario::builtin("nope").is_err());
}

#[test]
fn rejects_bad_scenarios() {
    let base = "[meeting]\nuuid='u'\nstream_id='s'\nduration_ms=1000\n";
    assert!(Scenario::from_toml(base).is_ok());
    let unknown_user = format!("{base}[[speaking]]\nuser='Zed'\nfrom_ms=0\nto_ms=10\n");
    assert!(Scenario::from_toml(&unknown_user).unwrap_err().to_string().contains("unknown participant"));
    let backwards = format!("{base}[[participants]]\nid=5\nname='A'\n[[video]]\nuser=5\nfrom_ms=10\nto_ms=5\n");
    assert!(Scenario::from_toml(&backwards).is_err());
    let big_id = format!("{base}[[participants]]\nid=4294967295\nname='A'\n");
    assert!(Scenario::from_toml(&big_id).is_err());
    assert!(Scenario::from_toml("[meeting]\nuuid='u'\nstream_id='s'\nduration_ms=1000\nbogus=1\n").is_err());
}

#[test]
fn queries() {
    let s = Scenario::builtin("quick").unwrap();
    assert_eq!(s.speakers_at(2600, 3), vec![16778240, 16779264]);
    assert_eq!(s.speakers_at(2600, 1), vec![16778240]);
    assert_eq!(s.active_speaker_at(2600), Some(16778240));
    assert_eq!(s.active_speaker_at(4500), Some(16780288));
    assert_eq!(s.sharer_at(2000), Some(16779264));
    assert_eq!(s.sharer_at(3500), None);
    assert!(s.present(16780288, 4000) && !s.present(16780288, 4200));
    assert!(s.video_on(16779264, 100) && !s.video_on(16780288, 100));
    assert_eq!(s.transcript_start(&s.transcripts[1]), 1500);
}

#[test]
fn timeline_orders_like_zoom() {
    let s = Scenario::builtin("quick").unwrap();
    let t = Timeline::build(&s);
    let types: Vec<(u64, i64)> = t
        .items
        .iter()
        .filter_map(|i| match &i.action {
            TimedAction::Event(e) => Some((i.at_ms, e["event_type"].as_i64().unwrap())),
            TimedAction::SessionState(_) => None,
        })
        .collect();
    // At t=0: participants join, then the active speaker, then video on.
    assert_eq!(&types[..3], &[(0, 3), (0, 2), (0, 8)]);
    assert!(types.contains(&(1600, 5)) && types.contains(&(3400, 6)));
    assert!(types.contains(&(4200, 4)) && types.contains(&(3800, 9)));
    let catch_up = Timeline::catch_up(&s, 2000);
    let kinds: Vec<i64> = catch_up.iter().map(|e| e["event_type"].as_i64().unwrap()).collect();
    assert_eq!(kinds, vec![3, 2, 8, 5]);
}

#[test]
fn meeting_copies_get_their_own_ids() {
    let s = Scenario::builtin("minimal").unwrap();
    assert_eq!(s.for_meeting(0, 1).meeting.uuid, s.meeting.uuid);
    let m2 = s.for_meeting(2, 3);
    assert_eq!(m2.meeting.stream_id, format!("{}-2", s.meeting.stream_id));
    assert_ne!(m2.meeting.uuid, s.meeting.uuid);
}

#[test]
fn generated_scenarios_validate() {
    let spec = Scenario::builtin("minimal").unwrap().meeting;
    let g = Scenario::generate(MeetingSpec { duration_ms: 10_000, ..spec }, 12).unwrap();
    assert_eq!(g.participants.len(), 12);
    assert_eq!(g.speaking.len(), 5);
    assert!(g.transcripts.len() == 5 && !g.chats.is_empty());
}
