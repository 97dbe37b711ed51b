//! What the user sees while a stream runs: a live view on a terminal (indicatif bars for
//! meeting time, speakers with level meters, media counts; transcript lines scroll above),
//! plain lines when stdout is not a terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rtms_core::protocol::MediaType;
use rtms_core::Event;

use crate::recorder::Count;

pub struct View {
    live: Option<Live>,
    started: Instant,
    last_plain: Instant,
    levels: BTreeMap<i64, (String, f32, Instant)>,
}

struct Live {
    bars: MultiProgress,
    time: ProgressBar,
    speakers: ProgressBar,
    counts: ProgressBar,
}

/// RMS level of L16 samples, 0.0 to 1.0.
fn level(pcm: &[u8]) -> f32 {
    let n = pcm.len() / 2;
    if n == 0 {
        return 0.0;
    }
    let sum: f64 = pcm.chunks_exact(2).map(|s| (i16::from_le_bytes([s[0], s[1]]) as f64).powi(2)).sum();
    ((sum / n as f64).sqrt() / i16::MAX as f64).min(1.0) as f32
}

fn meter(level: f32) -> String {
    let filled = (level * 4.0 * 10.0).round().clamp(0.0, 10.0) as usize;
    format!("{}{}", "█".repeat(filled), "·".repeat(10 - filled))
}

fn counts_line(counts: &BTreeMap<&'static str, Count>) -> String {
    ["audio", "video", "deskshare", "transcript", "chat"]
        .iter()
        .map(|k| {
            let c = counts.get(k).copied().unwrap_or_default();
            format!("{k} {} pkts/{}", c.packets, human_bytes(c.bytes))
        })
        .collect::<Vec<_>>()
        .join("  ")
}

/// `1.2 MB`-style sizes.
pub fn human_bytes(b: u64) -> String {
    match b {
        0..=1023 => format!("{b} B"),
        1024..=1_048_575 => format!("{:.1} KB", b as f64 / 1024.0),
        _ => format!("{:.1} MB", b as f64 / 1_048_576.0),
    }
}

impl View {
    /// A live view when stdout is a terminal, else plain lines. `length` is the expected
    /// meeting length, when known.
    pub fn new(title: &str, length: Option<Duration>) -> View {
        let live = std::io::stdout().is_terminal().then(|| {
            let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stdout());
            let time = bars.add(match length {
                Some(l) => ProgressBar::new(l.as_millis() as u64),
                None => ProgressBar::new_spinner(),
            });
            time.set_style(
                ProgressStyle::with_template("{prefix:.bold} [{bar:40.cyan/blue}] {elapsed_precise} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            time.set_prefix(title.to_owned());
            let speakers = bars.add(ProgressBar::new_spinner());
            speakers.set_style(ProgressStyle::with_template("  {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
            let counts = bars.add(ProgressBar::new_spinner());
            counts.set_style(ProgressStyle::with_template("  {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
            Live { bars, time, speakers, counts }
        });
        if live.is_none() {
            println!("{title}: started");
        }
        View { live, started: Instant::now(), last_plain: Instant::now(), levels: BTreeMap::new() }
    }

    fn line(&self, text: String) {
        match &self.live {
            Some(l) => {
                let _ = l.bars.println(text);
            }
            None => println!("{text}"),
        }
    }

    /// Updates the view for one event.
    pub fn event(&mut self, event: &Event, counts: &BTreeMap<&'static str, Count>) {
        match event {
            Event::JoinConfirm { reason } => self.line(format!("joined (code {reason})")),
            Event::Participants { joined, participants, .. } => {
                for p in participants {
                    self.line(format!("{} {} ({})", if *joined { "+" } else { "-" }, p.user_name, p.user_id));
                    if !*joined {
                        self.levels.remove(&p.user_id);
                    }
                }
            }
            Event::Sharing { started, user_name, .. } => self.line(if *started {
                format!("screen share started by {}", user_name.clone().unwrap_or_default())
            } else {
                "screen share stopped".to_owned()
            }),
            Event::Media(m) if m.kind == MediaType::TRANSCRIPT => {
                self.line(format!("  {}: {}", m.content.user_name, String::from_utf8_lossy(&m.content.data)))
            }
            Event::Media(m) if m.kind == MediaType::CHAT => {
                self.line(format!("  [chat] {}: {}", m.content.user_name, String::from_utf8_lossy(&m.content.data)))
            }
            Event::Media(m) if m.kind == MediaType::AUDIO => {
                let l = level(&m.content.data);
                self.levels.insert(m.content.user_id, (m.content.user_name.clone(), l, Instant::now()));
            }
            Event::Leave { reason, error } => {
                let why = rtms_core::protocol::StopReason::from_i32(*reason).map(|r| r.name()).unwrap_or("?");
                match error {
                    Some(e) => self.line(format!("stream ended: {why} ({reason}): {e}")),
                    None => self.line(format!("stream ended: {why} ({reason})")),
                }
            }
            _ => {}
        }
        self.refresh(counts);
    }

    fn refresh(&mut self, counts: &BTreeMap<&'static str, Count>) {
        let elapsed = self.started.elapsed();
        match &self.live {
            Some(l) => {
                l.time.set_position(elapsed.as_millis() as u64);
                let now = Instant::now();
                let speakers: Vec<String> = self
                    .levels
                    .values()
                    .map(|(name, lv, at)| {
                        let lv = if now.duration_since(*at) > Duration::from_millis(200) { 0.0 } else { *lv };
                        format!("{name:>10} {}", meter(lv))
                    })
                    .collect();
                l.speakers.set_message(speakers.join("   "));
                l.counts.set_message(counts_line(counts));
            }
            None => {
                if self.last_plain.elapsed() >= Duration::from_secs(5) {
                    self.last_plain = Instant::now();
                    println!("[{:>4}s] {}", elapsed.as_secs(), counts_line(counts));
                }
            }
        }
    }

    /// Removes the live bars.
    pub fn finish(self) {
        if let Some(l) = self.live {
            l.time.finish_and_clear();
            l.speakers.finish_and_clear();
            l.counts.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_meters() {
        assert_eq!(level(&[]), 0.0);
        let loud: Vec<u8> = std::iter::repeat_n(i16::MAX.to_le_bytes(), 10).flatten().collect();
        assert!((level(&loud) - 1.0).abs() < 1e-3);
        assert_eq!(meter(0.0), "··········");
        assert_eq!(meter(1.0), "██████████");
        assert_eq!(human_bytes(2048), "2.0 KB");
    }
}
