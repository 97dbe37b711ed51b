//! Transcript files: WebVTT, SubRip and JSON Lines, written as lines arrive.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde_json::json;

use super::jsonl::Jsonl;

/// One transcript line, times relative to the recording's start.
pub struct Line<'a> {
    pub user_id: i64,
    pub user_name: &'a str,
    pub text: &'a str,
    pub start_ms: u64,
    pub end_ms: u64,
    pub language: Option<i32>,
    pub timestamp: u64,
}

pub struct Captions {
    vtt: BufWriter<File>,
    srt: BufWriter<File>,
    jsonl: Jsonl,
    pub lines: u64,
}

/// `HH:MM:SS.mmm` (VTT, `sep` '.') or `HH:MM:SS,mmm` (SRT, `sep` ',').
pub fn clock(ms: u64, sep: char) -> String {
    format!("{:02}:{:02}:{:02}{sep}{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

impl Captions {
    pub fn create(dir: &Path) -> io::Result<Captions> {
        let mut vtt = BufWriter::new(File::create(dir.join("transcript.vtt"))?);
        vtt.write_all(b"WEBVTT\n\n")?;
        vtt.flush()?;
        let srt = BufWriter::new(File::create(dir.join("transcript.srt"))?);
        Ok(Captions { vtt, srt, jsonl: Jsonl::create(&dir.join("transcript.jsonl"))?, lines: 0 })
    }

    pub fn push(&mut self, line: &Line<'_>) -> io::Result<()> {
        self.lines += 1;
        let n = self.lines;
        let end = line.end_ms.max(line.start_ms + 1);
        let speaker = line.user_name.replace(['<', '>'], "");
        write!(self.vtt, "{n}\n{} --> {}\n<v {speaker}>{}\n\n", clock(line.start_ms, '.'), clock(end, '.'), line.text)?;
        self.vtt.flush()?;
        write!(self.srt, "{n}\n{} --> {}\n{speaker}: {}\n\n", clock(line.start_ms, ','), clock(end, ','), line.text)?;
        self.srt.flush()?;
        self.jsonl.write(&json!({
            "user_id": line.user_id, "user_name": line.user_name, "text": line.text,
            "start_ms": line.start_ms, "end_ms": line.end_ms, "language": line.language, "timestamp": line.timestamp,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks() {
        assert_eq!(clock(3_723_004, '.'), "01:02:03.004");
        assert_eq!(clock(61_500, ','), "00:01:01,500");
    }

    #[test]
    fn files() {
        let dir = std::env::temp_dir().join(format!("rtms-captions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut c = Captions::create(&dir).unwrap();
        c.push(&Line { user_id: 1, user_name: "Alice", text: "Hello", start_ms: 1000, end_ms: 2500, language: Some(9), timestamp: 5 })
            .unwrap();
        drop(c);
        let vtt = std::fs::read_to_string(dir.join("transcript.vtt")).unwrap();
        assert_eq!(vtt, "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\n<v Alice>Hello\n\n");
        let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
        assert_eq!(srt, "1\n00:00:01,000 --> 00:00:02,500\nAlice: Hello\n\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
