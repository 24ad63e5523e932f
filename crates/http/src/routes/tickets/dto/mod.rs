//! Wire types of the ticket API and their conversions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::ticket::{Channel, SenderType, StateType};
use vakt_service::tickets::{ArticleKind, HistoryEntry, IdName, PersonRef, StateRef, Ticket};
use validator::Validate;

use crate::extract::NamedPart;
use crate::routes::custom_fields::dto::{CustomFieldInputMap, CustomFieldMap, to_wire};

mod articles;

pub use articles::*;

macro_rules! wire_mirror {
    ($(#[$meta:meta])* $dto:ident <=> $domain:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $dto { $($(#[$vmeta])* $variant),* }

        impl From<$domain> for $dto {
            fn from(value: $domain) -> Self {
                match value { $($domain::$variant => $dto::$variant),* }
            }
        }

        impl From<$dto> for $domain {
            fn from(value: $dto) -> Self {
                match value { $($dto::$variant => $domain::$variant),* }
            }
        }
    };
}

pub(crate) use wire_mirror;

wire_mirror! {
    /// What a state means.
    StateTypeDto <=> StateType {
        /// Not yet worked on.
        New,
        /// Being worked on.
        Open,
        /// Waiting; the owner is reminded at the pending time.
        PendingReminder,
        /// Waiting; changes state automatically at the pending time.
        PendingAuto,
        /// Done.
        Closed,
        /// Merged into another ticket.
        Merged,
        /// Removed.
        Removed,
    }
}

wire_mirror! {
    /// Who wrote an article.
    SenderTypeDto <=> SenderType {
        /// An agent.
        Agent,
        /// The customer.
        Customer,
        /// Vakt itself.
        System,
    }
}

wire_mirror! {
    /// How an article came or went.
    ChannelDto <=> Channel {
        /// Email.
        Email,
        /// Telephone.
        Phone,
        /// Customer portal.
        Web,
        /// API.
        Api,
        /// Internal note.
        Note,
    }
}

wire_mirror! {
    /// Reply (customer-visible) or note (internal).
    ArticleKindDto <=> ArticleKind {
        /// To the customer.
        Reply,
        /// Internal, never shown to the customer.
        Note,
    }
}

/// An id with a name.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdNameDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

impl From<IdName> for IdNameDto {
    fn from(v: IdName) -> Self {
        Self {
            id: v.id,
            name: v.name,
        }
    }
}

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

impl From<PersonRef> for PersonDto {
    fn from(v: PersonRef) -> Self {
        Self {
            id: v.id,
            name: v.name,
            email: v.email,
        }
    }
}

/// A state on a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateRefDto {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Type.
    pub state_type: StateTypeDto,
}

impl From<StateRef> for StateRefDto {
    fn from(v: StateRef) -> Self {
        Self {
            id: v.id,
            name: v.name,
            state_type: v.state_type.into(),
        }
    }
}

/// A ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketResponse {
    /// Id.
    pub id: i64,
    /// Public number (also accepted wherever an id is).
    #[schema(example = "2026112410000017")]
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue.
    pub queue: IdNameDto,
    /// State.
    pub state: StateRefDto,
    /// Priority (id = level 1–5).
    pub priority: IdNameDto,
    /// Type.
    #[serde(rename = "type")]
    pub ticket_type: Option<IdNameDto>,
    /// Owner; while set the ticket is locked.
    pub owner: Option<PersonDto>,
    /// Responsible agent (absent for customers).
    pub responsible: Option<PersonDto>,
    /// Customer.
    pub customer: Option<PersonDto>,
    /// Customer company.
    pub company: Option<IdNameDto>,
    /// Locked (owned).
    pub locked: bool,
    /// When a pending state ends.
    pub pending_until: Option<DateTime<Utc>>,
    /// Minutes of work recorded (absent for customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_accounted_minutes: Option<i64>,
    /// Number of articles (all kinds).
    pub article_count: i64,
    /// Version; also the `ETag`.
    pub version: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Service (name: its path, `IT::Printing`).
    pub service: Option<IdNameDto>,
    /// When the ticket escalates (escalated since, when in the past): the earliest deadline of
    /// a running SLA clock (absent for customers).
    pub escalation_at: Option<DateTime<Utc>>,
    /// When the ticket reaches an SLA warning (the earliest warning time of a running clock;
    /// absent for customers), so lists can mark tickets that are soon due.
    pub escalation_warning_at: Option<DateTime<Utc>>,
    /// SLA state now (agents, single-ticket reads).
    pub sla: Option<crate::routes::sla::TicketSlaDto>,
    /// Watching agents (single-ticket reads only).
    pub watchers: Vec<PersonDto>,
    /// How it matched (search results only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchHitDto>,
    /// Custom field values by key (customers: the fields they may see). Each value's JSON
    /// type follows its field's type (`GET /api/v1/custom-fields`).
    pub custom_fields: CustomFieldMap,
    /// Whether it has articles you have not read (agents; absent for customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    /// The ticket this one was merged into (its state type is then `merged`); its number, id
    /// and mail threading lead there.
    pub merged_into: Option<TicketRefDto>,
}

/// A ticket named by another.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketRefDto {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
}

/// How a ticket matched a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitDto {
    /// Relevance, higher is better (relevance order only).
    pub rank: Option<f64>,
    /// Text around the first hit, if the words occur in an article or the title.
    pub snippet: Option<SnippetDto>,
}

/// A piece of text with the search hits marked.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetDto {
    /// Plain text (not HTML); `…` where it was cut.
    pub text: String,
    /// Hits in `text`, as character offsets.
    pub highlights: Vec<HighlightDto>,
}

/// One hit in a snippet.
#[derive(Debug, Serialize, ToSchema)]
pub struct HighlightDto {
    /// First character (counting Unicode scalar values).
    pub start: usize,
    /// Number of characters.
    pub length: usize,
}

impl From<Ticket> for TicketResponse {
    fn from(t: Ticket) -> Self {
        Self {
            id: t.id,
            number: t.number,
            title: t.title,
            queue: t.queue.into(),
            state: t.state.into(),
            priority: t.priority.into(),
            ticket_type: t.ticket_type.map(Into::into),
            owner: t.owner.map(Into::into),
            responsible: t.responsible.map(Into::into),
            customer: t.customer.map(Into::into),
            company: t.company.map(Into::into),
            locked: t.locked,
            pending_until: t.pending_until,
            time_accounted_minutes: t.time_accounted_minutes,
            article_count: t.article_count,
            version: t.version,
            created_at: t.created_at,
            updated_at: t.updated_at,
            closed_at: t.closed_at,
            service: t.service.map(Into::into),
            escalation_at: t.escalation_at,
            escalation_warning_at: t.escalation_warning_at,
            sla: t.sla.map(Into::into),
            watchers: t.watchers.into_iter().map(Into::into).collect(),
            custom_fields: to_wire(t.custom_fields),
            search: t.search.map(|hit| SearchHitDto {
                rank: hit.rank,
                snippet: hit.snippet.map(|s| SnippetDto {
                    text: s.text,
                    highlights: s
                        .highlights
                        .into_iter()
                        .map(|(start, length)| HighlightDto { start, length })
                        .collect(),
                }),
            }),
            unread: t.unread,
            merged_into: t
                .merged_into
                .map(|(id, number)| TicketRefDto { id, number }),
        }
    }
}

/// A page of tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketList {
    /// This page.
    pub items: Vec<TicketResponse>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A new ticket with its first article.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Printer on floor 3 is jammed",
    "queue_id": 1,
    "customer_email": "ola.nordmann@uio.no",
    "article": {"body": "Ola called: the printer shows error E42."}
}))]
pub struct CreateTicketRequest {
    /// Title.
    #[validate(length(max = 255))]
    pub title: String,
    /// Queue.
    pub queue_id: i64,
    /// State (agents; default `new`).
    pub state_id: Option<i64>,
    /// Pending time (for a pending state).
    pub pending_until: Option<DateTime<Utc>>,
    /// Priority level (agents; default the queue's, else 3).
    pub priority_id: Option<i64>,
    /// Type (agents).
    pub type_id: Option<i64>,
    /// Owner (agents).
    pub owner_id: Option<i64>,
    /// Responsible agent (agents).
    pub responsible_id: Option<i64>,
    /// Customer user (agents); or give `customer_email`.
    pub customer_id: Option<i64>,
    /// Customer email (agents); an unknown address becomes a new customer user.
    #[validate(length(max = 254))]
    pub customer_email: Option<String>,
    /// Name for a new customer user.
    #[validate(length(max = 200))]
    pub customer_name: Option<String>,
    /// Service (agents; active services only); its SLA, else the queue's default, applies.
    pub service_id: Option<i64>,
    /// The first article.
    #[validate(nested)]
    pub article: FirstArticleRequest,
    /// Custom field values by key; the required fields that apply to the queue and type must
    /// be given (customers: those they may edit), others get their default.
    #[serde(default)]
    pub custom_fields: CustomFieldInputMap,
}

impl NamedPart for CreateTicketRequest {
    const PART: &'static str = "ticket";
}

/// Multipart form of `POST /tickets`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct CreateTicketMultipart {
    /// The `CreateTicketRequest` as JSON.
    pub ticket: CreateTicketRequest,
    /// Files.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub attachments: Vec<Vec<u8>>,
}

/// A history entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryDto {
    /// Id.
    pub id: i64,
    /// The ticket it happened to: this one, or one merged into it.
    pub ticket_id: i64,
    /// Who (absent: the system).
    pub actor: Option<PersonDto>,
    /// `created`, `article_added`, `state_changed`, `queue_changed`, `owner_changed`, …
    pub kind: String,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
    /// The article concerned.
    pub article_id: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<HistoryEntry> for HistoryEntryDto {
    fn from(h: HistoryEntry) -> Self {
        Self {
            id: h.id,
            ticket_id: h.ticket_id,
            actor: h.actor.map(Into::into),
            kind: h.kind,
            old_value: h.old_value,
            new_value: h.new_value,
            article_id: h.article_id,
            created_at: h.created_at,
        }
    }
}

/// A page of history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryList {
    /// This page (oldest first).
    pub items: Vec<HistoryEntryDto>,
    /// Cursor of the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Paging of articles and history.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–200 (default 25).
    #[validate(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
