//! The `payback` command: parse arguments, run, print one clear error line on failure.

fn main() -> std::process::ExitCode {
    payback::cli::main()
}
