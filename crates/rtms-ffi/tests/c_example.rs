//! Builds `examples/c/join.c` against the committed header and this crate's static library,
//! runs it (it joins rtms-sim through the C ABI and checks counts and CRC32s), and runs it
//! again under valgrind when valgrind is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What `cargo rustc --crate-type staticlib -- --print native-static-libs` lists on Linux.
const LDLIBS: &[&str] = &["-lstdc++", "-lgcc_s", "-lutil", "-lrt", "-lpthread", "-lm", "-ldl"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `target/<profile>/librtms_ffi.a`, next to this test's `deps/` directory.
fn static_lib() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("test executable path: {e}"))?;
    let profile_dir = exe.parent().and_then(Path::parent).ok_or("the test executable is not in target/<profile>/deps")?;
    Ok(profile_dir.join("librtms_ffi.a"))
}

fn show(o: &Output) -> String {
    format!("status {}\n--- stdout\n{}\n--- stderr\n{}", o.status, String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn run(cmd: &mut Command, what: &str) -> Result<Output, String> {
    cmd.output().map_err(|e| format!("{what}: {e}"))
}

fn build() -> Result<PathBuf, String> {
    let lib = static_lib()?;
    if !lib.exists() {
        return Err(format!("{} is missing: build rtms-ffi first", lib.display()));
    }
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rtms-c-join");
    let src = root().join("examples/c/join.c");
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Werror", "-g", "-I"])
        .arg(root().join("lib/include"))
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .arg(&lib)
        .args(LDLIBS);
    let out = run(&mut cc, "a C compiler (cc)")?;
    if !out.status.success() {
        return Err(format!("compiling join.c failed: {}", show(&out)));
    }
    Ok(exe)
}

#[test]
fn c_example_joins_the_simulator() -> Result<(), String> {
    let exe = build()?;
    let out = run(&mut Command::new(&exe), "run join")?;
    let text = show(&out);
    assert!(out.status.success() && text.contains("\nOK"), "{text}");

    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("valgrind not installed: leak check skipped");
        return Ok(());
    }
    let supp = root().join("examples/c/valgrind.supp");
    let mut valgrind = Command::new("valgrind");
    valgrind.args(["--leak-check=full", "--error-exitcode=1", "--quiet"]).arg(format!("--suppressions={}", supp.display())).arg(&exe);
    let out = run(&mut valgrind, "run valgrind")?;
    let text = show(&out);
    assert!(out.status.success() && text.contains("\nOK"), "under valgrind: {text}");
    Ok(())
}
