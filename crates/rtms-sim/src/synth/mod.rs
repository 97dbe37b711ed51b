//! Synthetic, deterministic media, really encoded: tones (L16, G.711 µ-law, Opus) and
//! pictures (JPG, PNG, H.264). Encoded material is cached for the whole process, so many
//! meetings asking for the same format share one encode.

pub mod audio;
mod cache;
pub mod video;

pub use audio::{AudioCodec, AudioFormat, AudioSynth};
pub use video::{Picture, VideoCodec, VideoFormat};
