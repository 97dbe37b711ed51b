//! Generates the C header with cbindgen: into `OUT_DIR`, and into the committed copies
//! `lib/include/rtms.h` and `bindings/go/include/rtms.h` when their content changed (a test
//! fails when the committed header is stale).

use std::path::{Path, PathBuf};

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() == Some(content) {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(path, content) {
        println!("cargo:warning=could not write {}: {e}", path.display());
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).map_err(|e| format!("reading cbindgen.toml: {e}"))?;
    let bindings = match cbindgen::Builder::new().with_crate(&crate_dir).with_config(config).generate() {
        Ok(b) => b,
        Err(e) => {
            // A syntax error is reported by rustc itself; don't hide it behind this one.
            println!("cargo:warning=cbindgen failed: {e}");
            return Ok(());
        }
    };
    let mut out = Vec::new();
    bindings.write(&mut out);
    let header = String::from_utf8(out)?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    write_if_changed(&out_dir.join("rtms.h"), &header);
    let root = crate_dir.join("../..");
    write_if_changed(&root.join("lib/include/rtms.h"), &header);
    write_if_changed(&root.join("bindings/go/include/rtms.h"), &header);
    Ok(())
}
