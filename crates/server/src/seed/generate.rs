//! Preparing the people and places of a seed, and generating ticket batches.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::SyncSender;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use vakt_domain::rights::{Right, RightSet};
use vakt_domain::sort;
use vakt_domain::ticket::{SystemId, TicketNumberFormat};
use vakt_persistence::bulk::{
    self, BulkArticle, BulkBody, BulkCompany, BulkHistory, BulkMember, BulkTicket, BulkUser,
};
use vakt_persistence::repo::{organisation, queues, reference};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbConnection, PersistenceError};

use super::{SeedArgs, text};
use crate::CommandError;

/// Ids of the seeded states.
#[derive(Debug, Clone, Copy)]
struct States {
    new: i64,
    open: i64,
    pending_reminder: i64,
    pending_auto: i64,
    closed_ok: i64,
    closed_bad: i64,
}

/// Everything the ticket generator draws from.
#[derive(Debug, Clone)]
pub struct Plan {
    /// (queue id, group id).
    pub queues: Vec<(i64, i64)>,
    /// (agent id, email).
    pub agents: Vec<(i64, String)>,
    agents_by_group: HashMap<i64, Vec<i64>>,
    /// (customer id, company id, email).
    pub customers: Vec<(i64, Option<i64>, String)>,
    states: States,
    first_ticket_id: i64,
    first_article_id: i64,
    counters: HashMap<String, i64>,
    now: DateTime<Utc>,
}

/// One transaction's worth of rows.
pub struct Batch {
    pub(super) tickets: Vec<BulkTicket>,
    pub(super) articles: Vec<BulkArticle>,
    pub(super) bodies: Vec<BulkBody>,
    pub(super) history: Vec<BulkHistory>,
    pub(super) counters: Vec<(String, i64)>,
}

fn state_id(states: &[reference::StateRow], name: &str) -> Result<i64, CommandError> {
    states
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.id)
        .ok_or_else(|| {
            CommandError::Io(std::io::Error::other(format!(
                "the seeded state {name:?} is missing"
            )))
        })
}

/// Creates queues, groups, agents, companies and customers; reserves the ticket and article ids.
pub fn prepare(conn: &mut DbConnection, args: &SeedArgs) -> Result<Plan, CommandError> {
    let now = Utc::now();
    let db_now = to_db(now);
    let tag = format!("s{}", args.seed);
    if queues::find_by_name(conn, &format!("Queue {tag}-001"))?.is_some() {
        return Err(CommandError::Io(std::io::Error::other(format!(
            "this database already holds seed {}; use another --seed",
            args.seed
        ))));
    }
    let states = reference::states(conn)?;
    let states = States {
        new: state_id(&states, "new")?,
        open: state_id(&states, "open")?,
        pending_reminder: state_id(&states, "pending reminder")?,
        pending_auto: state_id(&states, "pending auto close+")?,
        closed_ok: state_id(&states, "closed successful")?,
        closed_bad: state_id(&states, "closed unsuccessful")?,
    };
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut queue_list = Vec::new();
    conn.write_transaction(|conn| -> Result<(), PersistenceError> {
        for n in 1..=args.queues.max(1) {
            let group =
                organisation::insert_group(conn, &format!("Group {tag}-{n:03}"), "seeded", db_now)?;
            let queue = queues::insert(
                conn,
                &queues::NewQueue {
                    name: &format!("Queue {tag}-{n:03}"),
                    group_id: group.id,
                    parent_id: None,
                    email_address: Some(&format!("queue{n:03}.{tag}@seed.example")),
                    default_priority_id: Some(3),
                    customer_open: n % 5 == 0,
                    description: "seeded",
                    created_at: db_now,
                    updated_at: db_now,
                },
            )?;
            queue_list.push((queue.id, group.id));
        }
        Ok(())
    })?;

    let hash = vakt_service::crypto::hash_password("seed-password")?;
    let first_agent = bulk::reserve_ids(conn, "users", i64::from(args.agents))?;
    let agents: Vec<(i64, String)> = (0..i64::from(args.agents))
        .map(|n| (first_agent + n, format!("agent{n:04}.{tag}@seed.example")))
        .collect();
    let user =
        |id: i64, kind: &str, email: &str, hash: Option<&str>, company: Option<i64>| BulkUser {
            id,
            kind: kind.to_owned(),
            email: email.to_owned(),
            name: seed_name(email),
            password_hash: hash.map(str::to_owned),
            is_admin: false,
            active: true,
            language: None,
            time_zone: None,
            created_at: db_now,
            updated_at: db_now,
            company_id: company,
            sees_company_tickets: company.is_some(),
            login: None,
        };
    let rw = RightSet::of([Right::Rw]).bits();
    let mut members = Vec::new();
    let mut agents_by_group: HashMap<i64, Vec<i64>> = HashMap::new();
    for (n, (id, _)) in agents.iter().enumerate() {
        let mut groups = vec![queue_list[n % queue_list.len()].1];
        for _ in 0..2 {
            groups.push(queue_list[rng.gen_range(0..queue_list.len())].1);
        }
        groups.sort_unstable();
        groups.dedup();
        for group in groups {
            members.push(BulkMember {
                user_id: *id,
                group_id: group,
                rights: rw,
                queue_manager: n % 50 == 0,
            });
            agents_by_group.entry(group).or_default().push(*id);
        }
    }
    let customer_count = args
        .customers
        .unwrap_or((args.ticket_count() / 5).clamp(100, u64::from(u32::MAX)) as u32);
    let company_count = (customer_count / 25).max(1);
    let first_company = bulk::reserve_ids(conn, "customer_companies", i64::from(company_count))?;
    let companies: Vec<BulkCompany> = (0..i64::from(company_count))
        .map(|n| BulkCompany {
            id: first_company + n,
            name: format!("Company {tag}-{n:05}"),
            email_domain: Some(format!("company{n:05}.{tag}.example")),
            notes: String::new(),
            active: true,
            created_at: db_now,
            updated_at: db_now,
        })
        .collect();
    let first_customer = bulk::reserve_ids(conn, "users", i64::from(customer_count))?;
    let customers: Vec<(i64, Option<i64>, String)> = (0..i64::from(customer_count))
        .map(|n| {
            let company = (n % 3 != 0).then(|| first_company + n % i64::from(company_count));
            let domain = match company {
                Some(c) => format!("company{:05}.{tag}.example", c - first_company),
                None => format!("private.{tag}.example"),
            };
            (
                first_customer + n,
                company,
                format!("customer{n:06}@{domain}"),
            )
        })
        .collect();
    conn.write_transaction(|conn| -> Result<(), PersistenceError> {
        let agent_rows: Vec<BulkUser> = agents
            .iter()
            .map(|(id, email)| user(*id, "agent", email, Some(&hash), None))
            .collect();
        bulk::insert_users(conn, &agent_rows)?;
        bulk::insert_members(conn, &members)?;
        bulk::insert_companies(conn, &companies)?;
        for chunk in customers.chunks(20_000) {
            let rows: Vec<BulkUser> = chunk
                .iter()
                .map(|(id, company, email)| user(*id, "customer", email, None, *company))
                .collect();
            bulk::insert_users(conn, &rows)?;
        }
        Ok(())
    })?;
    let total = i64::try_from(args.ticket_count()).unwrap_or(i64::MAX);
    let first_ticket_id = bulk::reserve_ids(conn, "tickets", total)?;
    let first_article_id = bulk::reserve_ids(
        conn,
        "articles",
        total * i64::from(args.articles_per_ticket.max(1)),
    )?;
    Ok(Plan {
        queues: queue_list,
        agents,
        agents_by_group,
        customers,
        states,
        first_ticket_id,
        first_article_id,
        counters: existing_counters(conn)?,
        now,
    })
}

fn existing_counters(conn: &mut DbConnection) -> Result<HashMap<String, i64>, PersistenceError> {
    Ok(vakt_persistence::repo::tickets::all_counters(conn)?
        .into_iter()
        .collect())
}

/// Generates all tickets in batches and sends them; stops early when the receiver is gone.
pub fn produce(plan: &Plan, args: &SeedArgs, sender: &SyncSender<Batch>) {
    let mut rng = StdRng::seed_from_u64(args.seed.wrapping_mul(7919).wrapping_add(1));
    let mut counters = plan.counters.clone();
    let system = SystemId::default();
    let total = args.ticket_count();
    let span = Duration::days(8 * 365).num_seconds() as f64;
    let start = plan.now - Duration::days(8 * 365);
    let per_ticket = u64::from(args.articles_per_ticket.max(1));
    let mut index = 0u64;
    while index < total {
        let size = u64::from(args.batch.max(1)).min(total - index);
        let mut batch = Batch {
            tickets: Vec::with_capacity(size as usize),
            articles: Vec::with_capacity((size * per_ticket) as usize),
            bodies: Vec::with_capacity((size * per_ticket) as usize),
            history: Vec::with_capacity((size * 2) as usize),
            counters: Vec::new(),
        };
        let mut touched: BTreeMap<String, i64> = BTreeMap::new();
        for i in index..index + size {
            // More tickets in later years, as a desk grows.
            let position = (i as f64 / total.max(1) as f64).powf(0.8);
            let created = start
                + Duration::seconds((position * span) as i64)
                + Duration::seconds(rng.gen_range(0..600));
            let day: NaiveDate = created.date_naive();
            let key = TicketNumberFormat::Date.counter_key(day);
            let counter = counters.entry(key.clone()).or_insert(0);
            *counter += 1;
            touched.insert(key, *counter);
            let number = TicketNumberFormat::Date.format(day, &system, *counter);
            let ticket_id = plan.first_ticket_id + i as i64;
            generate_ticket(
                plan,
                &mut rng,
                &mut batch,
                ticket_id,
                number,
                created,
                per_ticket as i64,
            );
        }
        batch.counters = touched.into_iter().collect();
        index += size;
        if sender.send(batch).is_err() {
            return;
        }
    }
}

/// The display name of a seeded person: the local part of the address, dots as spaces.
fn seed_name(email: &str) -> String {
    email.split('@').next().unwrap_or(email).replace('.', " ")
}

/// The list's sort key of a seeded person (as `vakt_persistence::repo::tickets` writes it).
fn seed_person_key(email: &str) -> String {
    sort::person_key(&seed_name(email), email)
}

fn generate_ticket(
    plan: &Plan,
    rng: &mut StdRng,
    batch: &mut Batch,
    ticket_id: i64,
    number: String,
    created: DateTime<Utc>,
    articles: i64,
) {
    let (queue_id, group_id) = plan.queues[rng.gen_range(0..plan.queues.len())];
    let (customer_id, company_id, customer_email) =
        plan.customers[rng.gen_range(0..plan.customers.len())].clone();
    let roll: f64 = rng.gen_range(0.0..1.0);
    let (state_id, state_type) = match roll {
        r if r < 0.85 => (plan.states.closed_ok, "closed"),
        r if r < 0.90 => (plan.states.closed_bad, "closed"),
        r if r < 0.93 => (plan.states.new, "new"),
        r if r < 0.97 => (plan.states.open, "open"),
        r if r < 0.99 => (plan.states.pending_reminder, "pending_reminder"),
        _ => (plan.states.pending_auto, "pending_auto"),
    };
    let group_agents = plan.agents_by_group.get(&group_id);
    let owner = match (state_type, group_agents) {
        ("new", _) | (_, None) => None,
        (_, Some(list)) if rng.gen_range(0..10) < 8 => list.choose(rng).copied(),
        _ => None,
    };
    let agent = owner.or_else(|| group_agents.and_then(|l| l.choose(rng).copied()));
    let code = format!("ERR-{ticket_id:07}");
    let title = text::title(rng);
    let mut at = created;
    for j in 0..articles {
        let id = plan.first_article_id + (ticket_id - plan.first_ticket_id) * articles + j;
        let (sender, channel, visible, author, from) = match j {
            0 => (
                "customer",
                "email",
                true,
                Some(customer_id),
                customer_email.clone(),
            ),
            _ if j % 4 == 3 => ("agent", "note", false, agent, "agent".into()),
            _ if j % 2 == 1 => ("agent", "email", true, agent, "agent".into()),
            _ => (
                "customer",
                "email",
                true,
                Some(customer_id),
                customer_email.clone(),
            ),
        };
        if j > 0 {
            at += Duration::minutes(rng.gen_range(5..(60 * 48)));
        }
        batch.articles.push(BulkArticle {
            id,
            ticket_id,
            sender_type: sender.into(),
            channel: channel.into(),
            customer_visible: visible,
            author_id: author,
            from_address: Some(from),
            to_addresses: None,
            cc_addresses: None,
            subject: if j == 0 {
                title.clone()
            } else {
                format!("Re: {title}")
            },
            message_id: Some(format!("<{id}.{ticket_id}@seed.example>")),
            in_reply_to: None,
            time_accounted_minutes: if sender == "agent" {
                rng.gen_range(0..30)
            } else {
                0
            },
            attachment_count: 0,
            created_at: to_db(at),
        });
        batch.bodies.push(BulkBody {
            article_id: id,
            body_text: text::body(rng, &code),
            body_html: None,
        });
    }
    let finished = state_type == "closed";
    let pending = state_type
        .starts_with("pending")
        .then(|| to_db(plan.now + Duration::days(rng.gen_range(1..30))));
    batch.tickets.push(BulkTicket {
        id: ticket_id,
        number: number.clone(),
        title: title.clone(),
        queue_id,
        state_id,
        state_type: state_type.into(),
        priority_id: [1, 2, 3, 3, 3, 3, 3, 3, 4, 5][rng.gen_range(0..10)],
        type_id: None,
        owner_id: owner,
        responsible_id: None,
        customer_id: Some(customer_id),
        company_id,
        created_by: Some(customer_id),
        pending_until: pending,
        time_accounted_minutes: 0,
        article_count: articles,
        version: 1,
        created_at: to_db(created),
        updated_at: to_db(at),
        closed_at: finished.then(|| to_db(at)),
        title_sort: sort::text_key(&title),
        state_sort: vakt_persistence::repo::tickets::state_rank(state_type),
        owner_sort: owner
            .and_then(|id| plan.agents.iter().find(|(agent, _)| *agent == id))
            .map(|(_, email)| seed_person_key(email))
            .unwrap_or_default(),
        customer_sort: seed_person_key(&customer_email),
    });
    batch.history.push(BulkHistory {
        ticket_id,
        actor_id: Some(customer_id),
        kind: "created".into(),
        old_value: None,
        new_value: Some(number),
        article_id: None,
        created_at: to_db(created),
    });
    if state_type != "new" {
        batch.history.push(BulkHistory {
            ticket_id,
            actor_id: agent,
            kind: "state_changed".into(),
            old_value: Some("new".into()),
            new_value: Some(state_type.into()),
            article_id: None,
            created_at: to_db(at),
        });
    }
}
