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
    let live = services.live().clone();
    let state = web::Data::new(AppState::new(services, config.http_config()));

    actix_web::rt::System::new().block_on(async move {
        // Signals are ours: live-update streams never end by themselves, so they are told to
        // end first; then the server stops gracefully.
        // Database work runs on each worker's blocking threads; more of them than pooled
        // connections would only wait for one, and every extra thread can keep its own
        // allocator arena alive (resident memory under load).
        let blocking_threads = (config.db_pool_size as usize).max(2);
        let mut server = HttpServer::new(move || build_app(state.clone()))
            .worker_max_blocking_threads(blocking_threads)
            .shutdown_timeout(config.shutdown_timeout)
            .disable_signals()
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
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            shutdown_signal().await;
            log::info!("shutting down: ending live-update streams, finishing requests");
            live.shutdown();
            handle.stop(true).await;
        });
        server.await?;
        Ok::<(), CommandError>(())
    })?;
    if let Some(workers) = workers {
        workers.shutdown();
    }
    log::info!("stopped");
    Ok(())
}

/// SIGTERM or SIGINT.
async fn shutdown_signal() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(error) => {
            log::warn!("cannot listen for SIGTERM ({error}); stopping on SIGINT only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
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
