//! Synthetic audio: each participant speaks as a sine tone of their own integer frequency, so
//! one second of any mix repeats exactly and a stream's content is a pure function of the
//! frame index. Encoded as L16 (little-endian PCM), G.711 µ-law or Opus.

use std::sync::{Arc, LazyLock};

use bytes::Bytes;

use super::cache::Memo;

/// Amplitude of one tone (about -10 dBFS), so three overlapping speakers do not clip.
const AMPLITUDE: f64 = 9_000.0;

/// The audio codecs rtms-sim encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioCodec {
    /// Codec 1: signed 16-bit little-endian PCM, interleaved.
    L16,
    /// Codec 2: G.711 µ-law, one byte per sample, interleaved.
    G711,
    /// Codec 4: Opus, one packet per frame.
    Opus,
}

/// What one audio stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AudioFormat {
    pub codec: AudioCodec,
    /// Sample rate in Hz.
    pub rate: u32,
    /// 1 or 2.
    pub channels: u16,
    /// Packet interval in ms (`send_rate`).
    pub frame_ms: u32,
}

impl AudioFormat {
    /// Samples per channel in one frame.
    pub fn samples_per_frame(&self) -> usize {
        (self.rate as usize * self.frame_ms as usize) / 1000
    }

    /// Byte length of an L16 frame: rate × ms / 1000 × channels × 2.
    pub fn l16_frame_bytes(&self) -> usize {
        self.samples_per_frame() * self.channels as usize * 2
    }

    /// Frame durations libopus can encode.
    pub fn opus_frame_ok(frame_ms: u32) -> bool {
        matches!(frame_ms, 10 | 20 | 40 | 60)
    }
}

/// The tone of the participant at roster position `index`: 300 Hz, 410 Hz, 520 Hz, ...
/// shifted by the seed; always an integer number of Hz.
pub fn tone_hz(index: usize, seed: u64) -> u32 {
    300 + 110 * (index as u32 % 24) + (seed % 5) as u32 * 20
}

/// One second of a tone at a sample rate (the table every frame is cut from).
type ToneMemo = Memo<(u32, u32), Arc<[i16]>>;
static TONES: LazyLock<ToneMemo> = LazyLock::new(Memo::new);

fn tone_table(hz: u32, rate: u32) -> Arc<[i16]> {
    let table = TONES.get_or_compute(&(hz, rate), || {
        let step = std::f64::consts::TAU * f64::from(hz) / f64::from(rate);
        Ok((0..rate).map(|n| (AMPLITUDE * (step * f64::from(n)).sin()) as i16).collect())
    });
    table.unwrap_or_else(|_| Arc::from(vec![0i16; rate as usize]))
}

/// Interleaved PCM of frame `k` for the mix of `tones` (silence when empty).
pub fn pcm_frame(fmt: &AudioFormat, k: u64, tones: &[u32]) -> Vec<i16> {
    let spf = fmt.samples_per_frame();
    let ch = fmt.channels as usize;
    let mut out = vec![0i16; spf * ch];
    let rate = fmt.rate as u64;
    let first = (k * spf as u64) % rate;
    for &hz in tones {
        let table = tone_table(hz, fmt.rate);
        for n in 0..spf {
            let v = table[((first + n as u64) % rate) as usize];
            for c in 0..ch {
                let slot = &mut out[n * ch + c];
                *slot = slot.saturating_add(v);
            }
        }
    }
    out
}

/// Little-endian bytes of PCM samples.
pub fn l16_bytes(pcm: &[i16]) -> Vec<u8> {
    pcm.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// G.711 µ-law encoding of one sample (ITU-T G.711, with the usual bias of 0x84).
pub fn mulaw(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32_635;
    let mut s = i32::from(sample);
    let sign = if s < 0 {
        s = -s;
        0x80
    } else {
        0
    };
    s = s.min(CLIP) + BIAS;
    let exponent = (0..8).rev().find(|e| s & (0x80 << e) != 0).unwrap_or(0);
    let mantissa = (s >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) | mantissa) as u8
}

/// Decodes one µ-law byte (used by tests and for checking).
pub fn mulaw_decode(byte: u8) -> i16 {
    let b = !byte;
    let sign = b & 0x80;
    let exponent = (b >> 4) & 0x07;
    let mantissa = b & 0x0F;
    let magnitude = (((i32::from(mantissa) << 3) + 0x84) << exponent) - 0x84;
    if sign != 0 {
        -magnitude as i16
    } else {
        magnitude as i16
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct OpusKey {
    tones: Vec<u32>,
    rate: u32,
    channels: u16,
    frame_ms: u32,
}

/// Opus packets for a whole loop of a mix (the least common multiple of the frame length and
/// one second), encoded once per process.
type OpusMemo = Memo<OpusKey, Arc<Vec<Bytes>>>;
static OPUS: LazyLock<OpusMemo> = LazyLock::new(Memo::new);

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn encode_opus_loop(key: &OpusKey) -> Result<Arc<Vec<Bytes>>, String> {
    let fmt = AudioFormat { codec: AudioCodec::Opus, rate: key.rate, channels: key.channels, frame_ms: key.frame_ms };
    let loop_ms = key.frame_ms / gcd(key.frame_ms, 1000) * 1000;
    let frames = u64::from(loop_ms / key.frame_ms);
    let channels = if key.channels == 2 { opus::Channels::Stereo } else { opus::Channels::Mono };
    let mut enc = opus::Encoder::new(key.rate, channels, opus::Application::Audio).map_err(|e| format!("opus encoder: {e}"))?;
    enc.set_complexity(3).map_err(|e| format!("opus complexity: {e}"))?;
    let mut out = Vec::with_capacity(frames as usize);
    for k in 0..frames {
        let pcm = pcm_frame(&fmt, k, &key.tones);
        let packet = enc.encode_vec(&pcm, 4000).map_err(|e| format!("opus encode: {e}"))?;
        out.push(Bytes::from(packet));
    }
    Ok(Arc::new(out))
}

/// Produces the payload of each audio frame of one stream.
#[derive(Debug, Clone)]
pub struct AudioSynth {
    fmt: AudioFormat,
}

impl AudioSynth {
    pub fn new(fmt: AudioFormat) -> Self {
        AudioSynth { fmt }
    }

    pub fn format(&self) -> AudioFormat {
        self.fmt
    }

    /// Frame `k` (counted from the start of the stream) of the mix of `tones`. Opus loops are
    /// encoded on a blocking thread the first time they are needed.
    pub async fn frame(&self, k: u64, tones: &[u32]) -> Result<Bytes, String> {
        match self.fmt.codec {
            AudioCodec::L16 => Ok(Bytes::from(l16_bytes(&pcm_frame(&self.fmt, k, tones)))),
            AudioCodec::G711 => Ok(pcm_frame(&self.fmt, k, tones).into_iter().map(mulaw).collect::<Vec<u8>>().into()),
            AudioCodec::Opus => {
                let mut sorted = tones.to_vec();
                sorted.sort_unstable();
                let key = OpusKey { tones: sorted, rate: self.fmt.rate, channels: self.fmt.channels, frame_ms: self.fmt.frame_ms };
                let packets = match OPUS.peek(&key) {
                    Some(done) => done?,
                    None => tokio::task::spawn_blocking(move || OPUS.get_or_compute(&key, || encode_opus_loop(&key)))
                        .await
                        .map_err(|e| format!("opus task: {e}"))??,
                };
                Ok(packets[(k % packets.len() as u64) as usize].clone())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l16_frame_sizes() {
        let fmt = AudioFormat { codec: AudioCodec::L16, rate: 16_000, channels: 1, frame_ms: 20 };
        assert_eq!(l16_bytes(&pcm_frame(&fmt, 0, &[300])).len(), 640);
        let fmt = AudioFormat { codec: AudioCodec::L16, rate: 48_000, channels: 2, frame_ms: 20 };
        assert_eq!(fmt.l16_frame_bytes(), 3840);
        assert_eq!(l16_bytes(&pcm_frame(&fmt, 7, &[300, 410])).len(), 3840);
    }

    #[test]
    fn tones_are_continuous_and_periodic() {
        let fmt = AudioFormat { codec: AudioCodec::L16, rate: 8_000, channels: 1, frame_ms: 20 };
        let a = pcm_frame(&fmt, 0, &[410]);
        assert_eq!(a, pcm_frame(&fmt, 50, &[410]), "one second later the tone repeats");
        assert_ne!(a, pcm_frame(&fmt, 1, &[410]));
        assert!(pcm_frame(&fmt, 3, &[]).iter().all(|s| *s == 0));
        assert!(a.iter().any(|s| s.unsigned_abs() > 8_000));
    }

    #[test]
    fn mulaw_round_trips_closely() {
        for s in [-32_000i16, -1000, -1, 0, 1, 100, 1000, 8_000, 32_000] {
            let back = mulaw_decode(mulaw(s));
            assert!((i32::from(back) - i32::from(s)).abs() <= (i32::from(s).abs() / 16).max(8), "{s} -> {back}");
        }
        assert_eq!(mulaw(0), 0xFF);
    }

    #[tokio::test]
    async fn opus_packets_decode() {
        let fmt = AudioFormat { codec: AudioCodec::Opus, rate: 48_000, channels: 2, frame_ms: 20 };
        let synth = AudioSynth::new(fmt);
        let mut dec = opus::Decoder::new(48_000, opus::Channels::Stereo).unwrap();
        let mut pcm = vec![0i16; 960 * 2];
        for k in 0..60 {
            let packet = synth.frame(k, &[520]).await.unwrap();
            assert_eq!(dec.decode(&packet, &mut pcm, false).unwrap(), 960);
        }
    }
}
