//! Synthetic pictures: a solid colour per participant with a moving bar and a binary frame
//! counter, a "slide" for screen shares and a tiled gallery; encoded as JPG, PNG or H.264
//! (Annex-B, SPS and PPS before every IDR).
//!
//! Encoding HD video on a small machine is expensive, so each picture is encoded once as a
//! short clip (starting with an IDR frame) and streams loop over it.

use std::sync::{Arc, LazyLock};

use bytes::Bytes;
use openh264::encoder::{BitRate, Complexity, Encoder, EncoderConfig, FrameRate, RateControlMode, UsageType};
use openh264::formats::YUVBuffer;
use openh264::OpenH264API;

use super::cache::Memo;

/// The picture codecs rtms-sim encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VideoCodec {
    /// Codec 5: one baseline JPEG per frame.
    Jpg,
    /// Codec 6: one PNG per frame.
    Png,
    /// Codec 7: H.264 Annex-B access units.
    H264,
}

/// What one video or deskshare stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VideoFormat {
    pub codec: VideoCodec,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

impl VideoFormat {
    /// Frames per looped clip: 10 for H.264 (one IDR each loop), 5 for JPG/PNG.
    pub fn clip_len(&self) -> usize {
        match self.codec {
            VideoCodec::H264 => 10,
            VideoCodec::Jpg | VideoCodec::Png => 5,
        }
    }
}

/// What a frame shows. Indexes are roster positions (they pick colours).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Picture {
    /// A participant's camera.
    Camera(usize),
    /// A participant's shared screen.
    Share(usize),
    /// A gallery of the cameras of these participants.
    Gallery(Vec<usize>),
}

const PALETTE: [[u8; 3]; 8] =
    [[214, 64, 58], [52, 120, 214], [58, 168, 88], [228, 168, 40], [146, 82, 196], [40, 178, 170], [206, 88, 150], [112, 112, 112]];

/// The colour of the participant at roster position `index`.
pub fn color(index: usize) -> [u8; 3] {
    PALETTE[index % PALETTE.len()]
}

/// A picture as a list of filled rectangles, painted in order (the first is the background).
struct Scene {
    w: usize,
    h: usize,
    rects: Vec<(usize, usize, usize, usize, [u8; 3])>,
}

impl Scene {
    fn new(w: u32, h: u32, bg: [u8; 3]) -> Scene {
        let (w, h) = (w as usize, h as usize);
        Scene { w, h, rects: vec![(0, 0, w, h, bg)] }
    }

    fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, c: [u8; 3]) {
        let (x0, y0) = (x.min(self.w), y.min(self.h));
        let (x1, y1) = ((x + w).min(self.w), (y + h).min(self.h));
        if x1 > x0 && y1 > y0 {
            self.rects.push((x0, y0, x1 - x0, y1 - y0, c));
        }
    }

    /// A vertical bar that crosses the picture over one clip, and the frame number in binary.
    fn motion(&mut self, frame: usize, frames: usize) {
        let bar = (self.w / 16).max(2);
        let x = (self.w - bar) * frame / frames.max(1);
        self.rect(x, 0, bar, self.h, [245, 245, 245]);
        let cell = (self.h / 24).max(2);
        for bit in 0..8 {
            let on = frame >> (7 - bit) & 1 == 1;
            self.rect(cell + bit * cell * 3 / 2, cell, cell, cell, if on { [255, 255, 255] } else { [0, 0, 0] });
        }
    }

    /// Packed RGB, 3 bytes per pixel.
    fn rgb(&self) -> Vec<u8> {
        let mut out = vec![0u8; self.w * self.h * 3];
        for &(x, y, w, h, c) in &self.rects {
            let row: Vec<u8> = c.iter().copied().cycle().take(w * 3).collect();
            for r in y..y + h {
                let at = (r * self.w + x) * 3;
                out[at..at + w * 3].copy_from_slice(&row);
            }
        }
        out
    }

    /// Planar I420 (Y, then U and V at half resolution); width and height must be even.
    fn i420(&self) -> Vec<u8> {
        let (w, h) = (self.w, self.h);
        let (cw, ch) = (w / 2, h / 2);
        let mut out = vec![0u8; w * h + 2 * cw * ch];
        let (y_plane, chroma) = out.split_at_mut(w * h);
        let (u_plane, v_plane) = chroma.split_at_mut(cw * ch);
        for &(x, y, rw, rh, c) in &self.rects {
            let (yv, uv, vv) = yuv(c);
            for r in y..y + rh {
                y_plane[r * w + x..r * w + x + rw].fill(yv);
            }
            let (cx0, cx1, cy0, cy1) = (x / 2, (x + rw).div_ceil(2).min(cw), y / 2, (y + rh).div_ceil(2).min(ch));
            for r in cy0..cy1 {
                u_plane[r * cw + cx0..r * cw + cx1].fill(uv);
                v_plane[r * cw + cx0..r * cw + cx1].fill(vv);
            }
        }
        out
    }
}

/// BT.601 limited-range RGB to YUV.
fn yuv([r, g, b]: [u8; 3]) -> (u8, u8, u8) {
    let (r, g, b) = (f32::from(r), f32::from(g), f32::from(b));
    let y = 16.0 + 0.257 * r + 0.504 * g + 0.098 * b;
    let u = 128.0 - 0.148 * r - 0.291 * g + 0.439 * b;
    let v = 128.0 + 0.439 * r - 0.368 * g - 0.071 * b;
    (y.round() as u8, u.round() as u8, v.round() as u8)
}

fn draw(fmt: &VideoFormat, pic: &Picture, frame: usize) -> Scene {
    let frames = fmt.clip_len();
    let mut c = match pic {
        Picture::Camera(i) => Scene::new(fmt.width, fmt.height, color(*i)),
        Picture::Share(i) => {
            let mut c = Scene::new(fmt.width, fmt.height, [236, 236, 236]);
            let (w, h) = (c.w, c.h);
            c.rect(0, 0, w, h / 8, color(*i));
            let line = (h / 24).max(2);
            let mut y = h / 5;
            let mut n = 0;
            while y + line < h {
                c.rect(w / 12, y, w * (6 + n % 5) / 12, line, [60, 60, 60]);
                y += line * 2;
                n += 1;
            }
            c
        }
        Picture::Gallery(ids) => {
            let mut c = Scene::new(fmt.width, fmt.height, [24, 24, 24]);
            let n = ids.len().max(1);
            let cols = (1..=n).find(|k| k * k >= n).unwrap_or(1);
            let rows = n.div_ceil(cols);
            let (tw, th) = (c.w / cols, c.h / rows);
            for (k, idx) in ids.iter().enumerate() {
                let (col, row) = (k % cols, k / cols);
                c.rect(col * tw + 2, row * th + 2, tw.saturating_sub(4), th.saturating_sub(4), color(*idx));
            }
            c
        }
    };
    c.motion(frame, frames);
    c
}

fn encode_jpg(c: &Scene) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, 80);
    enc.encode(&c.rgb(), c.w as u16, c.h as u16, jpeg_encoder::ColorType::Rgb).map_err(|e| format!("jpeg: {e}"))?;
    Ok(out)
}

fn encode_png(c: &Scene) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, c.w as u32, c.h as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().map_err(|e| format!("png: {e}"))?;
        writer.write_image_data(&c.rgb()).map_err(|e| format!("png: {e}"))?;
    }
    Ok(out)
}

fn encode_h264_clip(fmt: &VideoFormat, pic: &Picture) -> Result<Vec<Bytes>, String> {
    let usage = match pic {
        Picture::Share(_) => UsageType::ScreenContentRealTime,
        _ => UsageType::CameraVideoRealTime,
    };
    let config = EncoderConfig::new()
        .skip_frames(false)
        .rate_control_mode(RateControlMode::Off)
        .bitrate(BitRate::from_bps(1_500_000))
        .max_frame_rate(FrameRate::from_hz(fmt.fps as f32))
        .complexity(Complexity::Low)
        .usage_type(usage)
        .num_threads(1);
    let mut enc = Encoder::with_api_config(OpenH264API::from_source(), config).map_err(|e| format!("h264 encoder: {e}"))?;
    let mut out = Vec::with_capacity(fmt.clip_len());
    for frame in 0..fmt.clip_len() {
        let scene = draw(fmt, pic, frame);
        let yuv = YUVBuffer::from_vec(scene.i420(), scene.w, scene.h);
        if frame == 0 {
            enc.force_intra_frame();
        }
        let bits = enc.encode(&yuv).map_err(|e| format!("h264 encode: {e}"))?.to_vec();
        if bits.is_empty() {
            return Err(format!("h264 encoder skipped frame {frame}"));
        }
        out.push(Bytes::from(bits));
    }
    Ok(out)
}

fn encode_clip(fmt: &VideoFormat, pic: &Picture) -> Result<Arc<Vec<Bytes>>, String> {
    let frames = match fmt.codec {
        VideoCodec::H264 => encode_h264_clip(fmt, pic)?,
        VideoCodec::Jpg => (0..fmt.clip_len()).map(|f| encode_jpg(&draw(fmt, pic, f)).map(Bytes::from)).collect::<Result<_, _>>()?,
        VideoCodec::Png => (0..fmt.clip_len()).map(|f| encode_png(&draw(fmt, pic, f)).map(Bytes::from)).collect::<Result<_, _>>()?,
    };
    Ok(Arc::new(frames))
}

type ClipMemo = Memo<(VideoFormat, Picture), Arc<Vec<Bytes>>>;
static CLIPS: LazyLock<ClipMemo> = LazyLock::new(Memo::new);

/// The looped clip of `pic` in `fmt`, encoded on a blocking thread the first time.
pub async fn clip(fmt: VideoFormat, pic: Picture) -> Result<Arc<Vec<Bytes>>, String> {
    let key = (fmt, pic);
    if let Some(done) = CLIPS.peek(&key) {
        return done;
    }
    tokio::task::spawn_blocking(move || CLIPS.get_or_compute(&key, || encode_clip(&key.0, &key.1)))
        .await
        .map_err(|e| format!("video task: {e}"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(codec: VideoCodec) -> VideoFormat {
        VideoFormat { codec, width: 320, height: 180, fps: 5 }
    }

    #[tokio::test]
    async fn jpg_and_png_magic() {
        let jpg = clip(fmt(VideoCodec::Jpg), Picture::Camera(0)).await.unwrap();
        assert_eq!(jpg.len(), 5);
        assert!(jpg[0].starts_with(&[0xFF, 0xD8, 0xFF]));
        assert_ne!(jpg[0], jpg[1], "frames move");
        let png = clip(fmt(VideoCodec::Png), Picture::Share(1)).await.unwrap();
        assert!(png[0].starts_with(b"\x89PNG\r\n\x1a\n"));
    }

    #[tokio::test]
    async fn h264_starts_with_sps() {
        let f = VideoFormat { fps: 30, ..fmt(VideoCodec::H264) };
        let frames = clip(f, Picture::Gallery(vec![0, 1, 2])).await.unwrap();
        assert_eq!(frames.len(), 10);
        assert!(frames[0].starts_with(&[0, 0, 0, 1, 0x67]), "{:02x?}", &frames[0][..8]);
        assert!(frames[1].starts_with(&[0, 0, 0, 1]));
    }
}
