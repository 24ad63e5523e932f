//! The OpenAPI document: the parts utoipa cannot derive (info, security scheme, tags), the
//! error responses every operation shares, and the method table used to answer 405.

use regex::Regex;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{PROBLEM_JSON, Problem};

/// The static part of the document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vakt",
        description = "The REST API of Vakt, an open-source helpdesk and service-management system. \
Every agent and customer screen uses only this API. Conventions (errors as RFC 7807 problem+json, \
cursor pagination, ETags) are described in docs/API-DESIGN.md.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    components(schemas(
        Problem,
        crate::routes::events::TicketEventDto,
        crate::routes::events::NotificationEventDto,
        crate::routes::events::PresenceEventDto,
        crate::routes::events::StreamPositionDto,
    )),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "me", description = "The signed-in user and their API tokens"),
        (name = "users", description = "Agents and their administration"),
        (name = "groups", description = "Groups, their members and queue managers"),
        (name = "roles", description = "Roles: bundles of group rights given to agents"),
        (name = "queues", description = "Queues with ticket counts, and their administration"),
        (name = "reference", description = "Ticket states, priorities and ticket types"),
        (name = "customers", description = "Customer users and customer companies"),
        (name = "custom-fields", description = "Custom field definitions of tickets, articles, customers and companies"),
        (name = "tickets", description = "Tickets, articles, attachments, ownership, watchers and history"),
        (name = "saved-searches", description = "Saved ticket searches, private or shared with a group"),
        (name = "jobs", description = "Background jobs (administrators)"),
        (name = "slas", description = "SLAs, business calendars, services, and the default SLA of each queue"),
        (name = "mail", description = "Email: the mail gateway, received messages and the quarantine, mail accounts, postmaster filters, queue mail settings"),
        (name = "notifications", description = "In-app notifications, notification preferences, and (administrators) notification rules and templates"),
        (name = "live", description = "Live updates (Server-Sent Events) and who is on a ticket (collision detection)"),
        (name = "system", description = "Health, readiness and metrics"),
        (name = "knowledge-base", description = "The knowledge base: categories owned by groups, articles with translations, versions, history, files and votes, searched by audience"),
        (name = "text-modules", description = "Text modules (canned answers), salutations and signatures: templates with documented variables"),
        (name = "webhooks", description = "Webhooks: signed, retried, ordered deliveries of ticket and knowledge base events to third-party systems, their delivery log and settings (administrators)"),
        (name = "reports", description = "Statistics and reports: volume, backlog, response times, SLA compliance and breaches, workload, customers; JSON or CSV"),
        (name = "audit", description = "The administrators' audit log: who changed which user, group grant, role, queue or setting, and when"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token or vakt_ API token")
                    .description(Some(
                        "A JWT access token from `POST /api/v1/auth/login`, or a personal API token \
from `POST /api/v1/me/tokens`.",
                    ))
                    .build(),
            ),
        );
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
        item.head.as_mut(),
        item.options.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// Whether a POST creates something (answers 201 or 202, or merges), so that the
/// `Idempotency-Key` middleware applies to it ([`crate::idempotency`]); API tokens are left
/// out (a stored answer would keep the token).
pub fn creates(path: &str, op: &Operation) -> bool {
    let statuses = &op.responses.responses;
    path.starts_with("/api/v1/")
        && path != "/api/v1/me/tokens"
        && (statuses.contains_key("201")
            || statuses.contains_key("202")
            || path.ends_with("/merge"))
}

fn add_idempotency_key(op: &mut Operation) {
    let params = op.parameters.get_or_insert_with(Vec::new);
    if params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("Idempotency-Key"))
    {
        return;
    }
    params.push(
        ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes retries safe: a retry with the same key and the same request (method, \
path, body) within 24 hours gets the first response again (`Idempotent-Replayed: true`) \
instead of creating twice; the same key with another request is 422 \
`idempotency_key_reused`, and while the first request runs 409 `idempotency_key_in_use`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(200)),
            ))
            .build(),
    );
    add_response(
        op,
        "409",
        "`idempotency_key_in_use`: a request with this Idempotency-Key has not finished",
    );
}

fn add_response(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| RefOr::T(ResponseBuilder::new().description(description).build()));
}

/// Adds the error responses that follow from an operation's shape (security, body, parameters)
/// and gives every 4xx/5xx response the problem+json body.
pub fn finalize(mut doc: Document) -> Document {
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    for (path, item) in doc.paths.paths.iter_mut() {
        if let Some(op) = item.post.as_mut()
            && creates(path, op)
        {
            add_idempotency_key(op);
        }
    }
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let params = op.parameters.as_deref().unwrap_or_default();
            let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
            let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
            if secured {
                add_response(op, "401", "Missing, invalid or expired credentials");
            }
            if op.request_body.is_some() {
                add_response(op, "400", "The body is not valid JSON");
                add_response(op, "413", "The body is too large");
                add_response(op, "415", "The body is not `application/json`");
                add_response(op, "422", "Invalid fields; `errors` names them");
            }
            if has_path {
                add_response(op, "400", "A path parameter has the wrong form");
            }
            if has_query {
                add_response(op, "422", "Invalid query parameters; `errors` names them");
            }
            add_response(
                op,
                "500",
                "Internal error; the `X-Request-Id` identifies it in the log",
            );
            for (status, response) in op.responses.responses.iter_mut() {
                let is_error = status.starts_with('4') || status.starts_with('5');
                if let (true, RefOr::T(response)) = (is_error, response)
                    && response.content.is_empty()
                {
                    response.content.insert(
                        PROBLEM_JSON.to_owned(),
                        Content::new(Some(Ref::from_schema_name("Problem"))),
                    );
                }
            }
        }
    }
    doc
}

/// Which methods each documented path accepts, to answer 405 with `Allow`.
#[derive(Debug)]
pub struct RouteTable(Vec<(Regex, Vec<&'static str>)>);

impl RouteTable {
    /// Builds the table from the document's paths (`{param}` matches one segment).
    pub fn from_document(doc: &Document) -> Self {
        let mut routes = Vec::new();
        for (path, item) in &doc.paths.paths {
            let mut pattern = String::from("^");
            for piece in path.split('/').filter(|p| !p.is_empty()) {
                pattern.push('/');
                if piece.starts_with('{') && piece.ends_with('}') {
                    pattern.push_str("[^/]+");
                } else {
                    pattern.push_str(&regex::escape(piece));
                }
            }
            pattern.push('$');
            let methods: Vec<&'static str> = [
                (item.get.is_some(), "GET"),
                (item.post.is_some(), "POST"),
                (item.put.is_some(), "PUT"),
                (item.patch.is_some(), "PATCH"),
                (item.delete.is_some(), "DELETE"),
            ]
            .into_iter()
            .filter_map(|(present, method)| present.then_some(method))
            .collect();
            if let Ok(regex) = Regex::new(&pattern) {
                routes.push((regex, methods));
            }
        }
        Self(routes)
    }

    /// The methods allowed on `path`, if the path is a documented route.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let mut found: Option<Vec<&'static str>> = None;
        for (regex, methods) in &self.0 {
            if regex.is_match(path) {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(methods.iter().copied());
            }
        }
        found
    }
}
