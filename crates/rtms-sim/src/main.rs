//! `rtms-sim`: run simulated Zoom RTMS meetings from the command line (see [`rtms_sim::cli`]).

use std::process::ExitCode;

use clap::Parser;
use rtms_sim::cli::Args;

fn main() -> ExitCode {
    let cli = Args::parse();
    let default = if cli.quiet { "warn" } else { "info" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("rtms-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(rtms_sim::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rtms-sim: {e}");
            ExitCode::from(2)
        }
    }
}
