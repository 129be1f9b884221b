//! `payback completions SHELL` and `payback man`: shell completion scripts and man pages
//! generated from the clap definition of the command line, so they never drift from it.

use std::path::Path;

use clap::CommandFactory;

use super::{Cli, CliError, print_bytes, write_file};

/// The command line as clap defines it, with subcommand display names set
/// (`payback-run`), as the man pages name them.
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "payback", &mut buf);
    buf
}

/// The man pages: `payback.1` first, then `payback-SUBCOMMAND.1` for each subcommand, as
/// (file name, roff text).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let cmd = command();
    let mut pages = Vec::new();
    for c in std::iter::once(&cmd).chain(cmd.get_subcommands().filter(|s| !s.is_hide_set())) {
        let man = clap_mangen::Man::new(c.clone());
        let mut buf = Vec::new();
        man.render(&mut buf)
            .map_err(|e| CliError::Output(format!("cannot render the man page: {e}")))?;
        pages.push((man.get_filename(), buf));
    }
    Ok(pages)
}

/// Run `payback completions SHELL`.
pub fn cmd_completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    print_bytes(&completions(shell))
}

/// Run `payback man [--out DIR]`: the main page on stdout, or every page into DIR.
pub fn cmd_man(out: Option<&Path>) -> Result<(), CliError> {
    let pages = man_pages()?;
    let Some(dir) = out else {
        return match pages.first() {
            Some((_, text)) => print_bytes(text),
            None => Ok(()),
        };
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Output(format!("{}: cannot create: {e}", dir.display())))?;
    for (name, text) in &pages {
        write_file(&dir.join(name), text)?;
    }
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    print_bytes(format!("wrote {} in {}\n", names.join(", "), dir.display()).as_bytes())
}
