//! Generated scenarios for load runs: M participants taking turns.

use super::{ChatLine, MeetingSpec, Participant, Scenario, Segment, TranscriptLine, UserRef};

/// First user id handed out; ids step by 1024 like Zoom's.
const FIRST_ID: i64 = 16_778_240;
/// How long each turn lasts.
const TURN_MS: u64 = 2_000;

const NAMES: &[&str] = &["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy"];

pub fn generate(meeting: MeetingSpec, participants: usize) -> Scenario {
    let duration = meeting.duration_ms;
    let people: Vec<Participant> = (0..participants.max(1))
        .map(|i| {
            let name = match NAMES.get(i) {
                Some(n) => (*n).to_owned(),
                None => format!("User {}", i + 1),
            };
            Participant { id: FIRST_ID + 1024 * i as i64, name, join_ms: 0, leave_ms: None }
        })
        .collect();
    let mut speaking = Vec::new();
    let mut transcripts = Vec::new();
    let mut chats = Vec::new();
    let mut t = 0;
    let mut turn = 0usize;
    while t < duration {
        let p = &people[turn % people.len()];
        let end = (t + TURN_MS).min(duration);
        speaking.push(Segment { user: UserRef::Id(p.id), from_ms: t, to_ms: end });
        if end > t + 200 {
            let text = format!("{} speaking, turn {}.", p.name, turn + 1);
            transcripts.push(TranscriptLine { user: UserRef::Id(p.id), at_ms: end - 100, text, language: 9, start_ms: Some(t) });
        }
        if turn % 2 == 1 {
            chats.push(ChatLine { user: UserRef::Id(p.id), at_ms: t + TURN_MS / 2, text: format!("chat {} from {}", turn + 1, p.name) });
        }
        t = end;
        turn += 1;
    }
    chats.retain(|c| c.at_ms < duration);
    let video = people.iter().map(|p| Segment { user: UserRef::Id(p.id), from_ms: 0, to_ms: duration }).collect();
    let shares = if duration >= 1_000 {
        vec![Segment { user: UserRef::Id(people[0].id), from_ms: duration / 4, to_ms: duration / 2 }]
    } else {
        Vec::new()
    };
    Scenario { meeting, participants: people, speaking, transcripts, chats, shares, video, pauses: Vec::new() }
}
