//! The committed header is what cbindgen generates from this crate, in both places.

use std::path::Path;
use std::process::Command;

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/rtms.h"));

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn header_copies_are_current() {
    for copy in ["lib/include/rtms.h", "bindings/go/include/rtms.h"] {
        let on_disk = std::fs::read_to_string(root().join(copy)).unwrap_or_default();
        assert!(on_disk == GENERATED, "{copy} differs from what cbindgen generates: rebuild rtms-ffi (cargo build -p rtms-ffi)");
    }
}

#[test]
fn committed_header_is_current() {
    for copy in ["lib/include/rtms.h", "bindings/go/include/rtms.h"] {
        let out = Command::new("git").arg("-C").arg(root()).args(["show", &format!("HEAD:{copy}")]).output();
        let committed = match out {
            Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
            _ => {
                eprintln!("skipped: {copy} is not in a git checkout here");
                continue;
            }
        };
        assert!(committed == GENERATED, "the committed {copy} is stale: commit the header cargo build -p rtms-ffi regenerated");
    }
}

#[test]
fn header_declares_the_abi() {
    for needle in
        ["rtms_client_new", "rtms_client_join", "rtms_callbacks_t", "RTMS_ERR_PANIC", "rtms_sim_start", "#define RTMS_ABI_VERSION 1"]
    {
        assert!(GENERATED.contains(needle), "rtms.h lacks {needle}");
    }
}
