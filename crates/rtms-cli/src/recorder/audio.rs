//! Audio to WAV: one file per participant (packets back to back, exactly what arrived) and a
//! mixed file (packets placed at their timestamps and summed). L16 only.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use hound::{SampleFormat, WavSpec, WavWriter};

type Wav = WavWriter<BufWriter<File>>;

fn wav_err(e: hound::Error) -> io::Error {
    io::Error::other(e.to_string())
}

/// How often (in samples per channel) WAV headers are rewritten, so a killed process leaves
/// playable files.
const FLUSH_EVERY: u64 = 16_000;

pub struct Track {
    pub name: String,
    pub path: PathBuf,
    writer: Option<Wav>,
    pub packets: u64,
    /// Samples per channel written.
    pub samples: u64,
    unflushed: u64,
}

pub struct AudioRecorder {
    dir: PathBuf,
    spec: WavSpec,
    pub tracks: BTreeMap<i64, Track>,
    mixer: Mixer,
    mixed: Option<Wav>,
}

impl AudioRecorder {
    pub fn create(dir: &Path, sample_rate: u32, channels: u16) -> io::Result<AudioRecorder> {
        let spec = WavSpec { channels, sample_rate, bits_per_sample: 16, sample_format: SampleFormat::Int };
        let mixed = WavWriter::create(dir.join("mixed.wav"), spec).map_err(wav_err)?;
        Ok(AudioRecorder {
            dir: dir.to_owned(),
            spec,
            tracks: BTreeMap::new(),
            mixer: Mixer::new(sample_rate, channels),
            mixed: Some(mixed),
        })
    }

    /// Adds one L16 packet from `user_id` with media timestamp `ts_ms`.
    pub fn push(&mut self, user_id: i64, user_name: &str, ts_ms: u64, pcm: &[u8]) -> io::Result<()> {
        let channels = self.spec.channels as u64;
        if !self.tracks.contains_key(&user_id) {
            let path = self.dir.join(format!("audio_{}.wav", file_safe(user_id, user_name)));
            let writer = WavWriter::create(&path, self.spec).map_err(wav_err)?;
            self.tracks
                .insert(user_id, Track { name: user_name.to_owned(), path, writer: Some(writer), packets: 0, samples: 0, unflushed: 0 });
        }
        let track = self.tracks.get_mut(&user_id).ok_or_else(|| io::Error::other("track vanished"))?;
        if let Some(w) = track.writer.as_mut() {
            let mut i16w = w.get_i16_writer(pcm.len() as u32 / 2);
            for s in pcm.chunks_exact(2) {
                i16w.write_sample(i16::from_le_bytes([s[0], s[1]]));
            }
            i16w.flush().map_err(wav_err)?;
            let n = (pcm.len() / 2) as u64 / channels;
            track.samples += n;
            track.packets += 1;
            track.unflushed += n;
            if track.unflushed >= FLUSH_EVERY {
                w.flush().map_err(wav_err)?;
                track.unflushed = 0;
            }
        }
        let ready = self.mixer.add(ts_ms, pcm);
        self.write_mixed(ready)
    }

    fn write_mixed(&mut self, samples: Vec<i16>) -> io::Result<()> {
        if samples.is_empty() {
            return Ok(());
        }
        if let Some(w) = self.mixed.as_mut() {
            let mut i16w = w.get_i16_writer(samples.len() as u32);
            for s in samples {
                i16w.write_sample(s);
            }
            i16w.flush().map_err(wav_err)?;
            w.flush().map_err(wav_err)?;
        }
        Ok(())
    }

    /// Writes what is left of the mix and finalises every header.
    pub fn finish(&mut self) -> io::Result<u64> {
        let rest = self.mixer.drain();
        self.write_mixed(rest)?;
        for t in self.tracks.values_mut() {
            if let Some(w) = t.writer.take() {
                w.finalize().map_err(wav_err)?;
            }
        }
        if let Some(w) = self.mixed.take() {
            w.finalize().map_err(wav_err)?;
        }
        Ok(self.mixer.written / self.spec.channels as u64)
    }
}

fn file_safe(user_id: i64, name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let clean = clean.trim_matches('_');
    if clean.is_empty() {
        user_id.to_string()
    } else {
        format!("{user_id}_{clean}")
    }
}

/// Sums time-aligned packets; emits samples once they are older than the window, so memory
/// stays bounded however long the meeting runs.
struct Mixer {
    rate: u64,
    channels: u64,
    start_ms: Option<u64>,
    /// Interleaved samples already written.
    written: u64,
    pending: VecDeque<i32>,
}

/// How far behind the newest packet the mix is held open for late packets.
const WINDOW_MS: u64 = 1_000;

impl Mixer {
    fn new(rate: u32, channels: u16) -> Mixer {
        Mixer { rate: rate as u64, channels: channels as u64, start_ms: None, written: 0, pending: VecDeque::new() }
    }

    fn add(&mut self, ts_ms: u64, pcm: &[u8]) -> Vec<i16> {
        let start = *self.start_ms.get_or_insert(ts_ms);
        let offset = ts_ms.saturating_sub(start) * self.rate / 1000 * self.channels;
        // A packet older than what was already written is mixed from the first unwritten sample.
        let first = offset.max(self.written);
        let skip = (first - offset) as usize;
        let base = (first - self.written) as usize;
        for (i, s) in pcm.chunks_exact(2).skip(skip).enumerate() {
            let idx = base + i;
            if self.pending.len() <= idx {
                self.pending.resize(idx + 1, 0);
            }
            self.pending[idx] += i16::from_le_bytes([s[0], s[1]]) as i32;
        }
        let keep = WINDOW_MS * self.rate / 1000 * self.channels;
        if self.pending.len() as u64 > keep {
            let n = self.pending.len() - keep as usize;
            return self.take(n);
        }
        Vec::new()
    }

    fn take(&mut self, n: usize) -> Vec<i16> {
        self.written += n as u64;
        self.pending.drain(..n).map(|v| v.clamp(i16::MIN as i32, i16::MAX as i32) as i16).collect()
    }

    fn drain(&mut self) -> Vec<i16> {
        let n = self.pending.len();
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcm(v: i16, n: usize) -> Vec<u8> {
        std::iter::repeat_n(v.to_le_bytes(), n).flatten().collect()
    }

    #[test]
    fn mixer_aligns_and_sums() {
        let mut m = Mixer::new(1000, 1); // 1 sample per ms
        assert!(m.add(0, &pcm(100, 10)).is_empty());
        assert!(m.add(5, &pcm(10, 10)).is_empty());
        let out = m.drain();
        assert_eq!(out.len(), 15);
        assert_eq!(out[0], 100);
        assert_eq!(out[5], 110);
        assert_eq!(out[14], 10);
    }

    #[test]
    fn mixer_clamps_and_bounds_memory() {
        let mut m = Mixer::new(1000, 1);
        let mut written = 0;
        for i in 0..5 {
            written += m.add(i * 1000, &pcm(i16::MAX, 1000)).len();
            written += m.add(i * 1000, &pcm(i16::MAX, 1000)).len();
        }
        assert!(m.pending.len() <= 1000);
        let rest = m.drain();
        assert_eq!(written + rest.len(), 5000);
        assert!(rest.iter().all(|s| *s == i16::MAX));
    }

    #[test]
    fn wav_files_have_exact_sample_counts() {
        let dir = std::env::temp_dir().join(format!("rtms-audio-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut rec = AudioRecorder::create(&dir, 16_000, 1).unwrap();
        for i in 0..10 {
            rec.push(1, "Alice A.", i * 20, &pcm(1, 320)).unwrap();
        }
        rec.push(2, "", 0, &pcm(2, 320)).unwrap();
        rec.finish().unwrap();
        let alice = hound::WavReader::open(dir.join("audio_1_alice_a.wav")).unwrap();
        assert_eq!(alice.duration(), 3200);
        assert_eq!(alice.spec().sample_rate, 16_000);
        assert_eq!(hound::WavReader::open(dir.join("audio_2.wav")).unwrap().duration(), 320);
        assert_eq!(hound::WavReader::open(dir.join("mixed.wav")).unwrap().duration(), 3200);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
