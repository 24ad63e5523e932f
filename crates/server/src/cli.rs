//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Settings;

/// Vakt — an open-source helpdesk and service-management system.
#[derive(Debug, Parser)]
#[command(name = "vakt", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (API + web interface). Every setting below can also come from its
    /// environment variable or from the TOML file named by --config/VAKT_CONFIG.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate(DbArgs),
    /// Create an administrator, or make an existing agent an active administrator with a new
    /// password (the way back in when every administrator is locked out).
    CreateAdmin(CreateAdminArgs),
    /// Print the OpenAPI document (JSON) to stdout.
    Openapi,
    /// Load realistic synthetic data for benchmarks: queues, agents, customers and tickets
    /// with articles (e.g. --tickets 1000000 --articles-per-ticket 5).
    Seed(crate::seed::SeedArgs),
    /// Rebuild the full-text search index (after changing the search language, or to repair it).
    Reindex(ReindexArgs),
    /// Deliver one email from standard input to Vakt (for the MTA: Postfix pipe, aliases,
    /// Procmail, Exim). Exits 0 when stored, 75 (EX_TEMPFAIL) when the MTA should retry.
    Mailgate(crate::mailgate::MailgateArgs),
}

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// TOML file with settings (keys as the flag names with underscores)
    #[arg(long, env = "VAKT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The settings.
    #[command(flatten)]
    pub settings: Settings,
}

/// Database selection for maintenance commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// TOML file with settings
    #[arg(long, env = "VAKT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL [default: sqlite://./data/vakt.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

/// Arguments of `reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    /// Tickets per transaction
    #[arg(long, default_value_t = 5000)]
    pub batch: i64,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// Arguments of `create-admin`.
#[derive(Debug, clap::Args)]
pub struct CreateAdminArgs {
    /// The administrator's email
    #[arg(long)]
    pub email: String,
    /// The password; a random one is generated and printed when omitted
    #[arg(long)]
    pub password: Option<String>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

impl DbArgs {
    /// The settings these arguments and the file give.
    pub fn settings(&self) -> Result<Settings, crate::config::ConfigError> {
        let given = Settings {
            database_url: self.database_url.clone(),
            ..Settings::default()
        };
        Ok(match &self.config {
            Some(path) => given.or(Settings::from_file(path)?),
            None => given,
        })
    }
}

impl ServeArgs {
    /// The settings: flags/environment first, then the file.
    pub fn settings(&self) -> Result<Settings, crate::config::ConfigError> {
        Ok(match &self.config {
            Some(path) => self.settings.clone().or(Settings::from_file(path)?),
            None => self.settings.clone(),
        })
    }
}
