//! `payback init`: write a short, commented starter scenario that says what to fill in.

use std::path::Path;

use clap::ValueEnum;

use super::{CliError, write_file};

/// A starter scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A cloud (SaaS) IM subscription: seats, time saved.
    Cloud,
    /// An on-premises IM deployment: perpetual licence, servers, operations staff.
    Onprem,
    /// A usage-priced (per-minute) audio/video feature that earns revenue.
    Usage,
    /// A SaaS customer-service system for a small team.
    Service,
}

impl Template {
    /// The template's name on the command line (`cloud`, `onprem`, …).
    pub fn name(self) -> &'static str {
        match self {
            Template::Cloud => "cloud",
            Template::Onprem => "onprem",
            Template::Usage => "usage",
            Template::Service => "service",
        }
    }

    /// The TOML text.
    pub fn text(self) -> &'static str {
        match self {
            Template::Cloud => include_str!("../../templates/cloud.toml"),
            Template::Onprem => include_str!("../../templates/onprem.toml"),
            Template::Usage => include_str!("../../templates/usage.toml"),
            Template::Service => include_str!("../../templates/service.toml"),
        }
    }
}

/// The text of `payback init --list`.
pub fn list() -> String {
    let mut o = String::from("Starter scenarios (payback init FILE --template NAME):\n");
    for t in Template::value_variants() {
        // The doc comment of each variant, as `init --help` shows it.
        let help = t
            .to_possible_value()
            .and_then(|v| v.get_help().map(|h| h.to_string()))
            .unwrap_or_default();
        o.push_str(&format!("  {:<9}{help}\n", t.name()));
    }
    o
}

/// Run the command.
pub fn cmd_init(
    path: &Path,
    template: Template,
    force: bool,
    list_only: bool,
) -> Result<(), CliError> {
    if list_only {
        return super::print_bytes(list().as_bytes());
    }
    if path.exists() && !force {
        return Err(CliError::Usage(format!(
            "{} already exists; use --force to overwrite",
            path.display()
        )));
    }
    write_file(path, template.text().as_bytes())?;
    super::print_bytes(
        format!(
            "wrote {} (template `{}`): fill in the numbers marked FILL IN; next: payback validate {0}\n",
            path.display(),
            template.name()
        )
        .as_bytes(),
    )
}
