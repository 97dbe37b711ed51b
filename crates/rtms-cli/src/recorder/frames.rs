//! Video and screen-share output: H.264 appended to one Annex-B `.h264` file; JPG/PNG
//! frames as numbered image files.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct Frames {
    dir: PathBuf,
    name: &'static str,
    h264: Option<BufWriter<File>>,
    pub frames: u64,
    pub bytes: u64,
}

impl Frames {
    pub fn new(dir: &Path, name: &'static str) -> Frames {
        Frames { dir: dir.to_owned(), name, h264: None, frames: 0, bytes: 0 }
    }

    pub fn push(&mut self, user_id: i64, timestamp: u64, data: &[u8]) -> io::Result<()> {
        self.frames += 1;
        self.bytes += data.len() as u64;
        match sniff(data) {
            Some(ext) => {
                let dir = self.dir.join(self.name);
                fs::create_dir_all(&dir)?;
                fs::write(dir.join(format!("{:06}_{timestamp}_{user_id}.{ext}", self.frames)), data)
            }
            None => {
                if self.h264.is_none() {
                    self.h264 = Some(BufWriter::new(File::create(self.dir.join(format!("{}.h264", self.name)))?));
                }
                let out = self.h264.as_mut().ok_or_else(|| io::Error::other("h264 writer missing"))?;
                out.write_all(data)?;
                out.flush()
            }
        }
    }
}

/// The image extension for JPG/PNG payloads; `None` for anything else (H.264).
fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if data.starts_with(b"\x89PNG") {
        Some("png")
    } else {
        None
    }
}
