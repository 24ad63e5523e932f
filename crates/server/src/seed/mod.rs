//! `vakt seed`: realistic synthetic data at university scale for benchmarks — queues in their
//! own groups, agents with rights, customer companies and customers, and tickets with articles,
//! history and numbers, in a state mix like a real desk (~90 % closed). Tickets are generated on
//! one thread while the database writes the previous batch on the other core.

mod fields;
mod generate;
mod kb;
mod text;

use std::sync::mpsc;
use std::time::Instant;

use chrono::Utc;
use vakt_persistence::bulk;
use vakt_persistence::repo::tickets;

use crate::CommandError;
use crate::config::Config;
pub use generate::Plan;

/// Options of `vakt seed`.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// Number of tickets
    #[arg(long, required_unless_present = "custom_fields")]
    pub tickets: Option<u64>,
    /// Articles per ticket (average; the first is the customer's request)
    #[arg(long, default_value_t = 5)]
    pub articles_per_ticket: u32,
    /// Number of queues (each in its own group)
    #[arg(long, default_value_t = 250)]
    pub queues: u32,
    /// Number of agents (password "seed-password")
    #[arg(long, default_value_t = 1400)]
    pub agents: u32,
    /// Number of customer users [default: tickets / 5, at least 100]
    #[arg(long)]
    pub customers: Option<u32>,
    /// Random seed; different seeds make separate, non-colliding data sets
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Published knowledge-base articles (a third each internal, customer and public; the
    /// four languages in turn)
    #[arg(long, default_value_t = 0)]
    pub kb_articles: u64,
    /// Only define the seeded custom fields (a dropdown `product`, an integer `units`, a date
    /// `purchase_date`) and give their values to every ticket that has none: for a database
    /// seeded before. A full seed does this at its end anyway
    #[arg(long)]
    pub custom_fields: bool,
    /// Tickets per transaction
    #[arg(long, default_value_t = 5000)]
    pub batch: u32,
    /// The database.
    #[command(flatten)]
    pub db: crate::cli::DbArgs,
}

impl SeedArgs {
    /// Tickets to generate (none with only `--custom-fields`).
    pub fn ticket_count(&self) -> u64 {
        self.tickets.unwrap_or(0)
    }
}

/// Runs the seed and prints progress and a summary.
pub fn run(args: &SeedArgs, config: &Config) -> Result<(), CommandError> {
    let started = Instant::now();
    let pool = crate::open_database(config)?;
    let mut conn = pool.get()?;
    bulk::prepare_session(&mut conn)?;
    if args.custom_fields && args.tickets.is_none() {
        return fields::seed(&mut conn);
    }
    let plan = generate::prepare(&mut conn, args)?;
    println!(
        "seed {}: {} queues, {} agents, {} customers ready in {:.1}s; loading {} tickets × ~{} articles",
        args.seed,
        plan.queues.len(),
        plan.agents.len(),
        plan.customers.len(),
        started.elapsed().as_secs_f64(),
        args.ticket_count(),
        args.articles_per_ticket
    );

    let (sender, receiver) = mpsc::sync_channel::<generate::Batch>(2);
    let producer_plan = plan.clone();
    let producer_args = args.clone();
    let producer =
        std::thread::spawn(move || generate::produce(&producer_plan, &producer_args, &sender));
    let loading = Instant::now();
    let (mut tickets_done, mut articles_done) = (0u64, 0u64);
    let mut counters = std::collections::BTreeMap::new();
    for batch in receiver {
        conn.write_transaction(|conn| -> Result<(), vakt_persistence::PersistenceError> {
            bulk::insert_tickets(conn, &batch.tickets)?;
            bulk::insert_articles(conn, &batch.articles)?;
            bulk::insert_bodies(conn, &batch.bodies)?;
            bulk::insert_history(conn, &batch.history)?;
            if let (Some(first), Some(last)) = (batch.tickets.first(), batch.tickets.last()) {
                vakt_persistence::search::index_range(conn, first.id, last.id)?;
            }
            Ok(())
        })?;
        tickets_done += batch.tickets.len() as u64;
        articles_done += batch.articles.len() as u64;
        for (key, value) in batch.counters {
            let entry = counters.entry(key).or_insert(0);
            *entry = (*entry).max(value);
        }
        let seconds = loading.elapsed().as_secs_f64().max(0.001);
        if tickets_done % (u64::from(args.batch) * 10) == 0 || tickets_done == args.ticket_count() {
            println!(
                "  {tickets_done} tickets, {articles_done} articles ({:.0} tickets/s, {:.0} articles/s)",
                tickets_done as f64 / seconds,
                articles_done as f64 / seconds
            );
        }
    }
    producer
        .join()
        .map_err(|_| CommandError::Io(std::io::Error::other("the generator thread panicked")))?;
    if args.kb_articles > 0
        && let (Some((_, group)), Some((agent, email))) = (plan.queues.first(), plan.agents.first())
    {
        kb::seed(
            &mut conn,
            args.kb_articles,
            *group,
            (*agent, email),
            args.seed,
        )?;
    }
    let counters: Vec<(String, i64)> = counters.into_iter().collect();
    bulk::raise_counters(&mut conn, &counters)?;
    fields::seed(&mut conn)?;
    let finishing = Instant::now();
    tickets::recount(&mut conn)?;
    bulk::analyze(&mut conn)?;
    println!(
        "done: {tickets_done} tickets and {articles_done} articles in {:.1}s (load {:.1}s, counts and statistics {:.1}s) at {}",
        started.elapsed().as_secs_f64(),
        loading.elapsed().as_secs_f64() - finishing.elapsed().as_secs_f64(),
        finishing.elapsed().as_secs_f64(),
        Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
    );
    println!(
        "agents sign in as {} with password \"seed-password\"",
        plan.agents.first().map_or("-", |a| a.1.as_str())
    );
    Ok(())
}

/// `vakt reindex`: rebuilds the search index in batches of tickets, printing progress. Each
/// batch replaces its tickets' entries in one transaction, so search keeps finding every
/// ticket while it runs.
pub fn reindex(config: &Config, batch: i64) -> Result<(), CommandError> {
    let started = Instant::now();
    let pool = crate::open_database(config)?;
    let mut conn = pool.get()?;
    bulk::prepare_session(&mut conn)?;
    let Some((first, last)) = vakt_persistence::search::ticket_id_range(&mut conn)? else {
        println!("no tickets to index");
        return Ok(());
    };
    let batch = batch.max(1);
    let mut from = first;
    while from <= last {
        let to = (from + batch - 1).min(last);
        conn.write_transaction(|conn| {
            vakt_persistence::search::forget_range(conn, from, to)?;
            vakt_persistence::search::index_range(conn, from, to)
        })?;
        let done = to - first + 1;
        if (done / batch) % 20 == 0 || to == last {
            let seconds = started.elapsed().as_secs_f64().max(0.001);
            println!(
                "  indexed tickets up to id {to} ({:.0} tickets/s)",
                done as f64 / seconds
            );
        }
        from = to + 1;
    }
    println!("  compacting the index …");
    vakt_persistence::search::compact(&mut conn)?;
    bulk::analyze(&mut conn)?;
    println!(
        "search index rebuilt in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
