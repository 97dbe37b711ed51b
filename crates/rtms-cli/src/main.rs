//! `rtms`: run a demo meeting on the embedded simulator, or record every RTMS stream a Zoom
//! app receives.

mod demo;
mod record;
mod recorder;
mod stream;
mod view;

use clap::{Parser, Subcommand};
use rtms_core::logging::{LogConfig, LogFormat, LogLevel};

use recorder::Summary;

#[derive(Parser)]
#[command(name = "rtms", version, about = "Zoom Realtime Media Streams: demo on a simulator, or record real streams")]
struct Cli {
    /// Log level: error, warn, info, debug or trace (default: ZM_RTMS_LOG_LEVEL, else warn).
    #[arg(long, global = true)]
    log_level: Option<String>,
    /// Logs as JSON lines (default: ZM_RTMS_LOG_FORMAT).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scripted meeting on the embedded simulator, join it through a signed webhook,
    /// show it live and record it.
    Demo(demo::DemoArgs),
    /// Receive Zoom's webhooks and record every stream that starts (ZM_RTMS_CLIENT,
    /// ZM_RTMS_SECRET, ZM_RTMS_WEBHOOK_SECRET, ZM_RTMS_PORT, ZM_RTMS_PATH, or a .env file).
    Record(record::RecordArgs),
    /// The RTMS simulator (same options as `rtms-sim`).
    Sim(Box<rtms_sim::cli::Args>),
}

fn print_summary(s: &Summary) {
    println!("\nRecorded {} -> {}", s.meeting, s.folder.display());
    println!("  duration      {:.1} s", s.duration_ms as f64 / 1000.0);
    println!("  {:<22} {:>8} {:>10}", "participant", "packets", "seconds");
    for p in &s.participants {
        println!("  {:<22} {:>8} {:>10.1}", format!("{} ({})", p.user_name, p.user_id), p.audio_packets, p.audio_samples as f64 / 16_000.0);
    }
    println!("  {:<22} {:>8} {:>10}", "media", "packets", "bytes");
    for (k, c) in &s.counts {
        println!("  {:<22} {:>8} {:>10}", k, c.packets, view::human_bytes(c.bytes));
    }
    println!("  transcript lines {}   chat messages {}   events {}", s.transcript_lines, s.chat_messages, s.events);
}

fn main() {
    let cli = Cli::parse();
    let mut log = LogConfig::from_env();
    if std::env::var_os("ZM_RTMS_LOG_LEVEL").is_none() {
        log.level = LogLevel::Warn;
    }
    if let Some(level) = &cli.log_level {
        match level.parse::<LogLevel>() {
            Ok(l) => log.level = l,
            Err(_) => fail(&format!("--log-level must be error, warn, info, debug or trace, got {level:?}")),
        }
    }
    if cli.json {
        log.format = LogFormat::Json;
    }
    rtms_core::logging::init(log);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => fail(&format!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => demo::run(args).await.map(|s| print_summary(&s)),
            Command::Record(args) => record::run(args).await.map(|all| all.iter().for_each(print_summary)),
            Command::Sim(args) => rtms_sim::cli::run(*args).await.map_err(|e| e.to_string()),
        }
    });
    if let Err(e) = result {
        fail(&e);
    }
}

fn fail(message: &str) -> ! {
    eprintln!("rtms: error: {message}");
    std::process::exit(1);
}
