//! `vakt serve`: migrate, bootstrap, and run the HTTP server until SIGTERM/SIGINT.

use actix_web::{HttpServer, web};
use vakt_http::{AppState, build_app};
use vakt_service::Services;
use vakt_service::bootstrap::{AdminSeed, bootstrap};
use vakt_service::jobs::{self, WorkerOptions, WorkerPool};

use crate::config::Config;
use crate::{CommandError, open_database, system_clock};

/// Runs the server; returns when it has shut down gracefully.
pub fn run(config: Config) -> Result<(), CommandError> {
    let pool = open_database(&config)?;
    let clock = system_clock();
    let seed = AdminSeed {
        email: config.admin_email.clone(),
        password: config.admin_password.clone(),
    };
    let outcome = bootstrap(&pool, clock.as_ref(), &seed)?;
    if let Some(admin) = &outcome.created_admin {
        print_first_admin(
            &admin.email,
            admin.generated_password.as_deref(),
            &config.bind,
        );
    }
    let services = Services::new(pool, clock, config.service_config(), &outcome.jwt_secret);
    let workers = match config.job_workers {
        0 => None,
        n => Some(WorkerPool::start(
            services.clone(),
            jobs::registry_with(config.sla_job_options()),
            WorkerOptions {
                workers: n,
                ..config.worker_options()
            },
        )?),
    };
    let state = web::Data::new(AppState::new(services, config.http_config()));

    actix_web::rt::System::new().block_on(async move {
        let mut server = HttpServer::new(move || build_app(state.clone()))
            .shutdown_timeout(config.shutdown_timeout)
            .bind(&config.bind)?;
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        let addresses = server.addrs();
        for address in &addresses {
            println!(
                "Vakt is listening on http://{address}/ (API docs: http://{address}/api/docs/)"
            );
            log::info!("listening on http://{address}");
        }
        server.run().await?;
        Ok::<(), CommandError>(())
    })?;
    if let Some(workers) = workers {
        workers.shutdown();
    }
    log::info!("stopped");
    Ok(())
}

fn print_first_admin(email: &str, generated_password: Option<&str>, bind: &str) {
    println!();
    println!("  First start: created the administrator account");
    println!("    email:    {email}");
    match generated_password {
        Some(password) => {
            println!("    password: {password}");
            println!(
                "  The password is shown only this once. Sign in at http://{bind}/ and keep it safe."
            );
        }
        None => println!("    password: (from VAKT_ADMIN_PASSWORD)"),
    }
    println!();
}
