//! `GET /api/v1/events/stream`: Server-Sent Events of what the caller may see — ticket changes,
//! their in-app notifications and (for agents) who is on which ticket. Fed by the process's
//! live-update poller (`vakt_service::live`), which reads the database, so changes made through
//! any server process arrive. See docs/live-updates.md.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use utoipa::{IntoParams, ToSchema};
use vakt_service::live::{Batch, LiveEvent, Position, Viewer};
use vakt_service::{AuthFailure, Authenticated, ServiceError};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::{AppState, blocking};

/// Options of the stream.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// The access token, for clients that cannot send an `Authorization` header (the browser's
    /// `EventSource`). Accepted on this endpoint only; prefer the header where you can.
    #[validate(length(max = 4096))]
    pub access_token: Option<String>,
    /// Resume after this event id, like the `Last-Event-ID` header (the header wins).
    #[validate(length(max = 100))]
    pub last_event_id: Option<String>,
}

/// Who did it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventActorDto {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// `event: ticket` — a ticket you can see changed (one history entry). Customers get only
/// `created`, `state_changed`, `title_changed` and `article_added` of customer-visible articles
/// of their own tickets; no stream ever carries an article's content.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketEventDto {
    /// Ticket id.
    pub ticket_id: i64,
    /// Ticket number.
    pub ticket_number: String,
    /// History kind: `created`, `article_added`, `state_changed`, `owner_changed`, … (the
    /// kinds of `GET /tickets/{ticket}/history`).
    #[schema(example = "article_added")]
    pub kind: String,
    /// Who (absent: Vakt itself).
    pub actor: Option<EventActorDto>,
    /// The article concerned (fetch it to see it).
    pub article_id: Option<i64>,
    /// Value before, as in the history.
    pub old_value: Option<String>,
    /// Value after, as in the history.
    pub new_value: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// `event: notification` — you got an in-app notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationEventDto {
    /// Notification id.
    pub id: i64,
    /// Notification event (`customer_follow_up`, …).
    pub event: String,
    /// Ticket id.
    pub ticket_id: i64,
    /// Ticket number.
    pub ticket_number: String,
    /// Subject in your language.
    pub subject: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// `event: presence` — another agent opened, is answering, or left a ticket you can see.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceEventDto {
    /// Ticket id.
    pub ticket_id: i64,
    /// Ticket number.
    pub ticket_number: String,
    /// The agent.
    pub user_id: i64,
    /// The agent's name.
    pub name: String,
    /// On the ticket (`false`: left).
    pub present: bool,
    /// Writing an answer.
    pub composing: bool,
    /// Gone unless renewed by then (treat it as gone afterwards).
    pub expires_at: Option<DateTime<Utc>>,
}

/// `event: ready`, `heartbeat` or `resync` — the stream's position (also its `id`). After
/// `resync`, reload what you show: events were skipped.
#[derive(Debug, Serialize, ToSchema)]
pub struct StreamPositionDto {
    /// Send it back as `Last-Event-ID` to resume.
    #[schema(example = "1042.17.3")]
    pub position: String,
}

fn frame(event: &str, id: Option<Position>, data: &impl Serialize) -> Bytes {
    let mut text = String::new();
    if let Some(id) = id {
        text.push_str(&format!("id: {id}\n"));
    }
    text.push_str(&format!("event: {event}\n"));
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    text.push_str(&format!("data: {json}\n\n"));
    Bytes::from(text)
}

fn position_frame(event: &str, position: Position) -> Bytes {
    frame(
        event,
        Some(position),
        &StreamPositionDto {
            position: position.to_string(),
        },
    )
}

fn event_frame(event: &LiveEvent, id: Position) -> Bytes {
    match event {
        LiveEvent::Ticket(e) => frame(
            "ticket",
            Some(id),
            &TicketEventDto {
                ticket_id: e.ticket_id,
                ticket_number: e.ticket_number.clone(),
                kind: e.kind.clone(),
                actor: e.actor.as_ref().map(|a| EventActorDto {
                    id: a.id,
                    name: a.name.clone(),
                }),
                article_id: e.article_id,
                old_value: e.old_value.clone(),
                new_value: e.new_value.clone(),
                created_at: e.created_at,
            },
        ),
        LiveEvent::Notification(e) => frame(
            "notification",
            Some(id),
            &NotificationEventDto {
                id: e.id,
                event: e.event.clone(),
                ticket_id: e.ticket_id,
                ticket_number: e.ticket_number.clone(),
                subject: e.subject.clone(),
                created_at: e.created_at,
            },
        ),
        LiveEvent::Presence(e) => frame(
            "presence",
            Some(id),
            &PresenceEventDto {
                ticket_id: e.ticket_id,
                ticket_number: e.ticket_number.clone(),
                user_id: e.user.id,
                name: e.user.name.clone(),
                present: e.present,
                composing: e.composing,
                expires_at: e.expires_at,
            },
        ),
    }
}

/// The bearer token from the header, else from `?access_token=`.
fn token_of(req: &HttpRequest, query: Option<String>) -> Result<String, ApiError> {
    let missing = || ApiError::from(ServiceError::Unauthorized(AuthFailure::Missing));
    match req.headers().get(header::AUTHORIZATION) {
        Some(value) => {
            let value = value.to_str().map_err(|_| {
                ApiError::from(ServiceError::Unauthorized(AuthFailure::InvalidToken))
            })?;
            match value.trim().split_once(' ') {
                Some((scheme, token))
                    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
                {
                    Ok(token.trim().to_owned())
                }
                _ => Err(missing()),
            }
        }
        None => query.filter(|t| !t.trim().is_empty()).ok_or_else(missing),
    }
}

async fn authenticate(state: &AppState, token: String) -> Result<Authenticated, ApiError> {
    let authenticated = blocking(state, move |s| s.authenticate(&token)).await?;
    crate::extract::auth::refuse_enrolment_only(&authenticated)?;
    if let Some(scope) = authenticated.via.limited_scope() {
        return Err(ApiError::new(
            "token_scope",
            format!(
                "This token has the `{}` scope and cannot be used here.",
                scope.as_str()
            ),
        ));
    }
    Ok(authenticated)
}

/// Stream live events.
///
/// A `text/event-stream` of the events you may see: `ticket` (a ticket change, see
/// `TicketEventDto`), `notification` (your in-app notifications, `NotificationEventDto`),
/// `presence` (agents only: others opening, answering or leaving tickets, `PresenceEventDto`),
/// and `ready`, `heartbeat` (every 15 s), `resync` (reload: events were skipped), `reauth` (the
/// credential expired or was revoked; reconnect with a fresh one) and `shutdown` (the server is
/// stopping; reconnect), each with a `StreamPositionDto`. Every event's `id` is the position to
/// resume from with `Last-Event-ID` (or `?last_event_id=`). `EventSource` cannot send headers,
/// so this endpoint — and only this one — also takes the token as `?access_token=`.
#[utoipa::path(
    tag = "live",
    operation_id = "stream_events",
    params(
        StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "Resume after this event id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The event stream (Server-Sent Events)", content_type = "text/event-stream", body = String),
        (status = 403, description = "An API token without the `full` scope"),
    )
)]
#[get("/events/stream")]
pub async fn stream_events(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: ValidQuery<StreamQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let token = token_of(&req, query.access_token)?;
    let authenticated = authenticate(&state, token.clone()).await?;
    let resume = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.last_event_id);
    let principal = authenticated.principal.clone();
    let (viewer, receiver, position) = blocking(&state, move |s| {
        let viewer = s.live_viewer(&principal)?;
        let (receiver, position) = s.live().subscribe(s)?;
        Ok((viewer, receiver, position))
    })
    .await?;
    let (sender, frames) = mpsc::channel::<Bytes>(64);
    let stream = Stream {
        state: state.into_inner(),
        token,
        viewer,
        sender,
    };
    actix_web::rt::spawn(stream.run(receiver, position, resume));
    let body = futures_util::stream::unfold(frames, |mut frames| async move {
        frames
            .recv()
            .await
            .map(|bytes| (Ok::<_, actix_web::Error>(bytes), frames))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache, no-transform"))
        // Nothing between here and the client may compress or buffer the stream.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(body))
}

/// One open stream: filters the broadcast for its viewer and writes frames.
struct Stream {
    state: Arc<AppState>,
    token: String,
    viewer: Viewer,
    sender: mpsc::Sender<Bytes>,
}

impl Stream {
    /// Sends a frame; false when the client has gone.
    async fn send(&self, bytes: Bytes) -> bool {
        self.sender.send(bytes).await.is_ok()
    }

    /// Sends the events of a replay or batch after `last`; returns the new position, or `None`
    /// when the client has gone.
    async fn deliver(&self, events: &[LiveEvent], mut last: Position) -> Option<Position> {
        for event in events {
            if !last.before(event) {
                continue;
            }
            last = last.after(event);
            if let Some(visible) = self.viewer.filter(event)
                && !self.send(event_frame(&visible, last)).await
            {
                return None;
            }
        }
        Some(last)
    }

    async fn run(
        mut self,
        mut receiver: broadcast::Receiver<Arc<Batch>>,
        hub: Position,
        resume: Option<String>,
    ) {
        let config = self.state.services.config().live.clone();
        let mut stopping = self.state.services.live().stopping();
        if !self.send(Bytes::from_static(b"retry: 3000\n\n")).await {
            return;
        }
        let mut last = hub;
        if let Some(text) = resume {
            match Position::parse(&text) {
                Some(from) if from.max(hub) != from => {
                    let replay = blocking(&self.state, move |s| s.live_backlog(from, hub)).await;
                    match replay {
                        Ok(Some(events)) => match self.deliver(&events, from).await {
                            Some(reached) => last = reached.max(hub),
                            None => return,
                        },
                        _ => {
                            if !self.send(position_frame("resync", hub)).await {
                                return;
                            }
                        }
                    }
                }
                Some(from) => last = from,
                None => {
                    if !self.send(position_frame("resync", hub)).await {
                        return;
                    }
                }
            }
        }
        if !self.send(position_frame("ready", last)).await {
            return;
        }
        let mut heartbeat = tokio::time::interval(config.heartbeat);
        heartbeat.tick().await;
        let mut recheck = tokio::time::interval(config.recheck);
        recheck.tick().await;
        let client = self.sender.clone();
        loop {
            tokio::select! {
                batch = receiver.recv() => match batch {
                    Ok(batch) => match self.deliver(&batch.events, last).await {
                        Some(reached) => last = reached.max(batch.position),
                        None => return,
                    },
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !self.send(position_frame("resync", last)).await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = heartbeat.tick() => {
                    if !self.send(position_frame("heartbeat", last)).await {
                        return;
                    }
                }
                _ = recheck.tick() => {
                    let token = self.token.clone();
                    let checked = blocking(&self.state, move |s| {
                        let authenticated = s.authenticate(&token)?;
                        s.live_viewer(&authenticated.principal)
                    })
                    .await;
                    match checked {
                        Ok(viewer) => self.viewer = viewer,
                        Err(error) if actix_web::ResponseError::status_code(&error).as_u16() == 401 => {
                            let _ = self.send(position_frame("reauth", last)).await;
                            return;
                        }
                        Err(_) => {}
                    }
                }
                _ = stopping.wait_for(|stop| *stop) => {
                    let _ = self.send(position_frame("shutdown", last)).await;
                    return;
                }
                () = client.closed() => return,
            }
        }
    }
}
