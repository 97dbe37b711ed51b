//! Append-only JSON Lines files, flushed per line so a crash loses nothing written.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

pub struct Jsonl {
    out: BufWriter<File>,
    pub lines: u64,
}

impl Jsonl {
    pub fn create(path: &Path) -> io::Result<Jsonl> {
        Ok(Jsonl { out: BufWriter::new(File::create(path)?), lines: 0 })
    }

    pub fn write<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")?;
        self.out.flush()?;
        self.lines += 1;
        Ok(())
    }
}
