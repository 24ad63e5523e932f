//! The `vakt` binary.

use clap::Parser;
use vakt_server::cli::{Cli, Command};
use vakt_server::{CommandError, logging, open_database, serve, system_clock};
use vakt_service::bootstrap::create_admin;

fn main() {
    let cli = Cli::parse();
    if let Err(error) = run(cli) {
        eprintln!("vakt: {error}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<(), CommandError> {
    match cli.command {
        Command::Serve(args) => {
            let config = args.settings()?.resolve()?;
            logging::init(&config.log);
            serve::run(config)
        }
        Command::Migrate(args) => {
            let config = args.settings()?.resolve()?;
            logging::init(&config.log);
            open_database(&config)?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::CreateAdmin(args) => {
            let config = args.db.settings()?.resolve()?;
            logging::init("warn");
            let pool = open_database(&config)?;
            let outcome = create_admin(
                &pool,
                system_clock().as_ref(),
                &args.email,
                args.password.as_deref(),
            )?;
            let verb = if outcome.created {
                "Created"
            } else {
                "Promoted"
            };
            println!(
                "{verb} administrator {} (id {}).",
                outcome.user.email, outcome.user.id
            );
            if let Some(password) = outcome.generated_password {
                println!("Password: {password}");
            }
            Ok(())
        }
        Command::Seed(args) => {
            let config = args.db.settings()?.resolve()?;
            logging::init("warn");
            vakt_server::seed::run(&args, &config)
        }
        Command::Mailgate(args) => {
            let code = vakt_server::mailgate::run(&args, &mut std::io::stdin().lock());
            std::process::exit(code);
        }
        Command::Reindex(args) => {
            let config = args.db.settings()?.resolve()?;
            logging::init("warn");
            vakt_server::seed::reindex(&config, args.batch)
        }
        Command::Openapi => {
            let document = vakt_http::openapi_document()
                .to_pretty_json()
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            println!("{document}");
            Ok(())
        }
    }
}
