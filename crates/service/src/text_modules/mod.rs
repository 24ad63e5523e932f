//! Text modules (canned answers): name, keywords, language, a body with `{{variables}}`,
//! offered in some queues (none: all) and grouped in categories. Administrators manage them;
//! agents find those of the queues they see and have them filled in for a ticket. Salutations
//! and signatures are templates too ([`replies`]); all use the one template language of mail
//! and notifications (`crate::mail::REPLY_VARIABLES`).

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::kb::{clean_keywords, join_keywords, split_keywords};
use vakt_domain::locale::check_language;
use vakt_domain::rights::Right;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::text_modules::{
    self, TextModuleFields, TextModuleFilter, TextModuleRow,
};
use vakt_persistence::repo::{queues, users};
use vakt_persistence::time::{from_db, to_db};

use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::mail::{Vars, check_reply_variables, render_with};
use crate::reference::Reference;
use crate::users::{require_admin, require_agent};
use crate::{Services, access};

pub mod replies;

pub use replies::{ReplyKind, ReplyTemplate, ReplyTemplateInput};

/// A text module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextModule {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Category (empty: none).
    pub category: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Language (`None`: any).
    pub language: Option<String>,
    /// Subject for a reply (may be empty).
    pub subject: String,
    /// Body template.
    pub body: String,
    /// Offered in these queues (empty: all).
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// A module's fields as given (all replaced on change).
#[derive(Debug, Clone, Default)]
pub struct TextModuleInput {
    /// Name.
    pub name: String,
    /// Category.
    pub category: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Language.
    pub language: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Body.
    pub body: String,
    /// Queues (empty: all).
    pub queue_ids: Vec<i64>,
}

/// A module filled in for a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedModule {
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct TextModuleQuery {
    /// Name, keywords or body contain this.
    pub q: Option<String>,
    /// Offered in this queue.
    pub queue_id: Option<i64>,
    /// This language (or any).
    pub language: Option<String>,
    /// Only this category.
    pub category: Option<String>,
}

fn view(conn: &mut DbConnection, row: TextModuleRow) -> ServiceResult<TextModule> {
    Ok(TextModule {
        queue_ids: text_modules::queues_of(conn, row.id)?,
        id: row.id,
        name: row.name,
        category: row.category,
        keywords: split_keywords(&row.keywords),
        language: row.language,
        subject: row.subject,
        body: row.body,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

fn fields(
    conn: &mut DbConnection,
    input: &TextModuleInput,
    now: DateTime<Utc>,
) -> ServiceResult<TextModuleFields> {
    let mut errors = FieldErrors::new();
    errors.check("name", text_length(input.name.trim(), 1, 200));
    errors.check(
        "category",
        text_length(input.category.as_deref().unwrap_or_default(), 0, 200),
    );
    errors.check(
        "subject",
        text_length(input.subject.as_deref().unwrap_or_default(), 0, 500),
    );
    errors.check("body", text_length(&input.body, 1, 100_000));
    check_reply_variables(
        &mut errors,
        "subject",
        input.subject.as_deref().unwrap_or_default(),
    );
    check_reply_variables(&mut errors, "body", &input.body);
    let language = match input.language.as_deref().filter(|l| !l.trim().is_empty()) {
        Some(tag) => errors.check("language", check_language(tag)),
        None => None,
    };
    for (i, queue) in input.queue_ids.iter().enumerate() {
        if queues::find(conn, *queue)?.is_none() {
            errors.add(
                format!("queue_ids[{i}]"),
                vakt_domain::ValidationError::new("not_found", "no such queue"),
            );
        }
    }
    errors.into_result()?;
    Ok(TextModuleFields {
        name: input.name.trim().to_owned(),
        category: input
            .category
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        keywords: join_keywords(&clean_keywords(&input.keywords)),
        language,
        subject: input.subject.clone().unwrap_or_default(),
        body: input.body.clone(),
        updated_at: to_db(now),
    })
}

/// The queues whose modules an agent is offered (`None`: all, for administrators).
fn visible_queues(conn: &mut DbConnection, actor: &Principal) -> ServiceResult<Option<Vec<i64>>> {
    if actor.is_admin() {
        return Ok(None);
    }
    let access = access::load(conn, actor)?;
    let reference = Reference::load(conn)?;
    Ok(Some(reference.queues_of_groups(
        access.groups_with(Right::Ro).as_deref(),
    )))
}

fn offered(module: &TextModule, queues: Option<&[i64]>) -> bool {
    match queues {
        None => true,
        Some(queues) => {
            module.queue_ids.is_empty() || module.queue_ids.iter().any(|q| queues.contains(q))
        }
    }
}

fn snapshot(row: &TextModuleFields, queue_ids: &[i64]) -> serde_json::Value {
    json!({"name": row.name, "category": row.category, "language": row.language,
           "keywords": row.keywords, "subject": row.subject, "body": row.body, "queue_ids": queue_ids})
}

impl Services {
    /// The modules offered to the caller (those of queues they see, and those of all queues).
    pub fn list_text_modules(
        &self,
        actor: &Principal,
        query: &TextModuleQuery,
    ) -> ServiceResult<Vec<TextModule>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let queues = visible_queues(&mut conn, actor)?;
        let filter = TextModuleFilter {
            text: query.q.clone(),
            queue_id: query.queue_id,
            queue_ids: queues.clone(),
            language: query.language.clone(),
            category: query.category.clone(),
        };
        let mut out = Vec::new();
        for row in text_modules::list(&mut conn, &filter)? {
            let module = view(&mut conn, row)?;
            if offered(&module, queues.as_deref()) {
                out.push(module);
            }
        }
        Ok(out)
    }

    /// One module offered to the caller.
    pub fn get_text_module(&self, actor: &Principal, id: i64) -> ServiceResult<TextModule> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let queues = visible_queues(&mut conn, actor)?;
        let row =
            text_modules::find(&mut conn, id)?.ok_or(ServiceError::NotFound("text module"))?;
        let module = view(&mut conn, row)?;
        if !offered(&module, queues.as_deref()) {
            return Err(ServiceError::NotFound("text module"));
        }
        Ok(module)
    }

    /// Creates a module (administrators); an unknown `{{variable}}` is a 422.
    pub fn create_text_module(
        &self,
        actor: &Principal,
        input: TextModuleInput,
    ) -> ServiceResult<TextModule> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let fields = fields(conn, &input, now)?;
            let row = text_modules::insert(conn, &fields, actor.user_id)?;
            text_modules::set_queues(conn, row.id, &input.queue_ids)?;
            let change = Change::new("create", "text_module", row.id, &row.name)
                .after(snapshot(&fields, &input.queue_ids));
            audit::record(conn, Some(actor), now, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        view(&mut conn, row)
    }

    /// Replaces a module (administrators).
    pub fn update_text_module(
        &self,
        actor: &Principal,
        id: i64,
        input: TextModuleInput,
    ) -> ServiceResult<TextModule> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let before =
                text_modules::find(conn, id)?.ok_or(ServiceError::NotFound("text module"))?;
            let before_queues = text_modules::queues_of(conn, id)?;
            let fields = fields(conn, &input, now)?;
            let row = text_modules::update(conn, id, &fields)?;
            text_modules::set_queues(conn, id, &input.queue_ids)?;
            let old = TextModuleFields {
                name: before.name,
                category: before.category,
                keywords: before.keywords,
                language: before.language,
                subject: before.subject,
                body: before.body,
                updated_at: before.updated_at,
            };
            let change = Change::new("update", "text_module", id, &row.name)
                .before(snapshot(&old, &before_queues))
                .after(snapshot(&fields, &input.queue_ids));
            audit::record(conn, Some(actor), now, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        view(&mut conn, row)
    }

    /// Deletes a module (administrators).
    pub fn delete_text_module(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let row = text_modules::find(conn, id)?.ok_or(ServiceError::NotFound("text module"))?;
            text_modules::delete(conn, id)?;
            let change = Change::new("delete", "text_module", id, &row.name)
                .before(json!({"name": row.name, "body": row.body}));
            audit::record(conn, Some(actor), now, change)?;
            Ok(())
        })
    }

    /// A module filled in for a ticket the caller sees (`ticket`: id or number), with the caller
    /// as the agent.
    pub fn render_text_module(
        &self,
        actor: &Principal,
        id: i64,
        ticket: &str,
    ) -> ServiceResult<RenderedModule> {
        let module = self.get_text_module(actor, id)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = crate::tickets::visible(&mut conn, &access, &reference, ticket, false)?;
        if !module.queue_ids.is_empty() && !module.queue_ids.contains(&row.queue_id) {
            return Err(ServiceError::invalid(
                "ticket",
                "not_offered",
                "this text module is not offered in the ticket's queue",
            ));
        }
        let customer = match row.customer_id {
            Some(id) => users::find(&mut conn, id)?,
            None => None,
        };
        let agent = users::find(&mut conn, actor.user_id)?;
        let queue = reference
            .queue(row.queue_id)
            .map(|q| q.name.clone())
            .unwrap_or_default();
        let deadline = crate::mail::deadline_text(row.escalation_at);
        let vars = Vars {
            ticket_number: &row.number,
            ticket_title: &row.title,
            customer_name: customer.as_ref().map_or("", |c| c.name.as_str()),
            customer_email: customer.as_ref().map_or("", |c| c.email.as_str()),
            queue: &queue,
            subject: &row.title,
            agent_name: agent.as_ref().map_or("", |a| a.name.as_str()),
            agent_email: agent.as_ref().map_or("", |a| a.email.as_str()),
            sla_deadline: &deadline,
        };
        let fill = |text: &str| render_with(text, |name| vars.get(name).map(str::to_owned));
        Ok(RenderedModule {
            subject: fill(&module.subject),
            body: fill(&module.body),
        })
    }
}
