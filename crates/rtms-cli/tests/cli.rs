//! The `rtms` binary end to end: the demo's files against what the simulator sent, `rtms
//! record` with two meetings and a SIGTERM, and one clear line for each bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const RTMS: &str = env!("CARGO_BIN_EXE_rtms");

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rtms-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn only_subdir(dir: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

fn wav_samples(path: &Path) -> u32 {
    let r = hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!((r.spec().sample_rate, r.spec().channels, r.spec().bits_per_sample), (16_000, 1, 16));
    r.duration()
}

#[test]
fn demo_records_exactly_what_the_simulator_sent() {
    let out = temp("demo");
    let run = Command::new(RTMS).args(["demo", "--scenario", "quick", "--speed", "4", "--out"]).arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("Recorded") && stdout.contains("transcript lines"), "{stdout}");
    let dir = only_subdir(&out);
    let summary = json(&dir.join("summary.json"));
    let sim = json(&dir.join("simulator.json"));
    let meeting = &sim["meetings"][0];

    // Media counts: everything the simulator sent arrived.
    for kind in ["audio", "video", "deskshare", "transcript", "chat"] {
        assert_eq!(summary["counts"][kind]["packets"], meeting["media"][kind]["packets"], "{kind}");
        assert_eq!(summary["counts"][kind]["bytes"], meeting["media"][kind]["bytes"], "{kind}");
    }
    // One WAV per participant with exactly the samples sent for them.
    let users = meeting["users"].as_array().unwrap();
    let audio_users: Vec<&Value> = users.iter().filter(|u| u["media"] == "audio").collect();
    assert_eq!(summary["participants"].as_array().unwrap().len(), audio_users.len());
    for p in summary["participants"].as_array().unwrap() {
        let sent = audio_users.iter().find(|u| u["user_id"] == p["user_id"]).expect("participant was sent audio");
        let samples = wav_samples(&dir.join(p["wav"].as_str().unwrap()));
        assert_eq!(samples as u64, sent["bytes"].as_u64().unwrap() / 2, "{}", p["user_name"]);
    }
    assert!(wav_samples(&dir.join("mixed.wav")) > 0);
    // Every transcript line, in order, in every format.
    let lines: Vec<String> = meeting["transcripts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect();
    assert!(!lines.is_empty());
    let vtt = std::fs::read_to_string(dir.join("transcript.vtt")).unwrap();
    let srt = std::fs::read_to_string(dir.join("transcript.srt")).unwrap();
    let jsonl = std::fs::read_to_string(dir.join("transcript.jsonl")).unwrap();
    assert!(vtt.starts_with("WEBVTT"));
    assert_eq!(jsonl.lines().count(), lines.len());
    for line in &lines {
        assert!(
            vtt.contains(line.as_str()) && srt.contains(line.as_str()) && jsonl.contains(&serde_json::to_string(line).unwrap()),
            "{line}"
        );
    }
    assert_eq!(std::fs::read_to_string(dir.join("chat.jsonl")).unwrap().lines().count(), meeting["chats"].as_array().unwrap().len());
    assert!(std::fs::read_to_string(dir.join("events.jsonl")).unwrap().lines().count() >= meeting["events"].as_array().unwrap().len());
    assert_eq!(summary["leave_reason"], meeting["stop_reason"]);
    assert!(std::fs::read_dir(dir.join("video")).unwrap().count() > 0);
    let _ = std::fs::remove_dir_all(&out);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Recorder {
    child: Child,
    port: u16,
}

impl Recorder {
    fn start(out: &Path) -> Recorder {
        let port = free_port();
        let child = Command::new(RTMS)
            .args(["record", "--env-file", "/nonexistent/.env", "--out"])
            .arg(out)
            .env("ZM_RTMS_CLIENT", "sim-client-id")
            .env("ZM_RTMS_SECRET", "sim-client-secret")
            .env("ZM_RTMS_WEBHOOK_SECRET", "whsec")
            .env("ZM_RTMS_PORT", port.to_string())
            .env("ZM_RTMS_PATH", "/hooks")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "rtms record did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Recorder { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks", self.port)
    }

    fn terminate(mut self) -> (bool, String) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "rtms record did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        self.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        (status.success(), err)
    }
}

#[test]
fn record_two_meetings_and_stop_cleanly_on_sigterm() {
    let out = temp("record");
    let rec = Recorder::start(&out);
    let mut sim = Command::new(RTMS)
        .args(["sim", "--scenario", "demo", "--meetings", "2", "--webhook-secret", "whsec", "-q", "--webhook", &rec.url()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(sim.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.contains("\"listening\""), "{first}");
    // Let both meetings record for a while, then stop the recorder mid-meeting.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0) == 2;
        let wavs = ready
            && std::fs::read_dir(&out).unwrap().all(|d| {
                std::fs::read_dir(d.unwrap().path()).unwrap().any(|f| f.unwrap().file_name().to_string_lossy().starts_with("audio_"))
            });
        if wavs {
            break;
        }
        assert!(Instant::now() < deadline, "both meetings did not start recording");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let (ok, stderr) = rec.terminate();
    assert!(ok, "{stderr}");
    assert!(stderr.contains("stopping, leaving 2 stream(s)"), "{stderr}");
    let _ = sim.kill();
    let _ = sim.wait();
    for dir in std::fs::read_dir(&out).unwrap() {
        let dir = dir.unwrap().path();
        let summary = json(&dir.join("summary.json"));
        assert_eq!(summary["leave_reason"], 20, "left on request: {summary}");
        for p in summary["participants"].as_array().unwrap() {
            // Finalised headers: the WAV's sample count is what was written.
            assert_eq!(wav_samples(&dir.join(p["wav"].as_str().unwrap())) as u64, p["audio_samples"].as_u64().unwrap());
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}

fn fails_with(cmd: &mut Command, needle: &str) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("rtms: error:")).collect();
    assert_eq!(errors.len(), 1, "one clear line: {stderr}");
    assert!(errors[0].contains(needle), "{stderr}");
}

#[test]
fn bad_input_gets_one_clear_line() {
    let record = || {
        let mut c = Command::new(RTMS);
        c.args(["record", "--env-file", "/nonexistent/.env"]).env_remove("ZM_RTMS_CLIENT").env_remove("ZM_RTMS_SECRET");
        c
    };
    fails_with(&mut record(), "ZM_RTMS_CLIENT");
    fails_with(record().env("ZM_RTMS_CLIENT", "id"), "ZM_RTMS_SECRET");
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    fails_with(record().env("ZM_RTMS_CLIENT", "id").env("ZM_RTMS_SECRET", "s").env("ZM_RTMS_PORT", &port), "ZM_RTMS_PORT");
    let file = temp("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    fails_with(
        record().env("ZM_RTMS_CLIENT", "id").env("ZM_RTMS_SECRET", "s").env("ZM_RTMS_PORT", "0").arg("--out").arg(file.join("sub")),
        "--out",
    );
    fails_with(Command::new(RTMS).args(["demo", "--scenario", "nope"]), "built-in scenarios");
    fails_with(Command::new(RTMS).args(["demo", "--out"]).arg(file.join("sub")).args(["--scenario", "minimal", "--speed", "8"]), "--out");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn unknown_webhooks_are_answered_and_ignored() {
    let out = temp("unknown");
    let rec = Recorder::start(&out);
    let body = br#"{"event":"meeting.participant_joined","event_ts":1,"payload":{}}"#;
    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let sig = rtms_core::signature::webhook_signature("whsec", &ts, body);
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", rec.port)).unwrap();
    write!(
        tcp,
        "POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nx-zm-request-timestamp: {ts}\r\nx-zm-signature: {sig}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    tcp.write_all(body).unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    std::thread::sleep(Duration::from_millis(200));
    let (ok, stderr) = rec.terminate();
    assert!(ok, "{stderr}");
    assert!(stderr.contains("ignored webhook `meeting.participant_joined`"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}
