//! Business calendars (administrators): time zone, working hours per weekday, holidays.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::sla::{BusinessCalendar, CalendarInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::{AppState, blocking};

/// Working ranges per weekday, each `HH:MM-HH:MM` in the calendar's zone; a range may cross
/// midnight (`22:00-06:00` belongs to the day it starts on). Days left out have no working time.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mon": ["08:00-16:00"], "tue": ["08:00-16:00"], "wed": ["08:00-16:00"], "thu": ["08:00-16:00"], "fri": ["08:00-16:00"]}))]
pub struct WorkingHoursDto {
    /// Monday.
    #[serde(default)]
    pub mon: Vec<String>,
    /// Tuesday.
    #[serde(default)]
    pub tue: Vec<String>,
    /// Wednesday.
    #[serde(default)]
    pub wed: Vec<String>,
    /// Thursday.
    #[serde(default)]
    pub thu: Vec<String>,
    /// Friday.
    #[serde(default)]
    pub fri: Vec<String>,
    /// Saturday.
    #[serde(default)]
    pub sat: Vec<String>,
    /// Sunday.
    #[serde(default)]
    pub sun: Vec<String>,
}

impl WorkingHoursDto {
    fn into_days(self) -> Vec<(Weekday, Vec<String>)> {
        vec![
            (Weekday::Mon, self.mon),
            (Weekday::Tue, self.tue),
            (Weekday::Wed, self.wed),
            (Weekday::Thu, self.thu),
            (Weekday::Fri, self.fri),
            (Weekday::Sat, self.sat),
            (Weekday::Sun, self.sun),
        ]
    }
}

/// A business calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    #[schema(example = "Oslo office hours")]
    pub name: String,
    /// Description.
    pub description: String,
    /// IANA time zone.
    #[schema(example = "Europe/Oslo")]
    pub time_zone: String,
    /// Working ranges per weekday.
    pub working_hours: WorkingHoursDto,
    /// Holidays: `MM-DD` every year, `YYYY-MM-DD` once.
    #[schema(example = json!(["12-25", "2026-04-03"]))]
    pub holidays: Vec<String>,
    /// Offered for new SLAs (SLAs on an inactive calendar keep counting on it).
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<BusinessCalendar> for CalendarResponse {
    fn from(c: BusinessCalendar) -> Self {
        let hours = c.calendar.hours();
        let day = |d: Weekday| hours.day(d).iter().map(ToString::to_string).collect();
        Self {
            id: c.id,
            name: c.name,
            description: c.description,
            time_zone: c.calendar.time_zone().name().to_owned(),
            working_hours: WorkingHoursDto {
                mon: day(Weekday::Mon),
                tue: day(Weekday::Tue),
                wed: day(Weekday::Wed),
                thu: day(Weekday::Thu),
                fri: day(Weekday::Fri),
                sat: day(Weekday::Sat),
                sun: day(Weekday::Sun),
            },
            holidays: c.calendar.holidays().map(|h| h.to_string()).collect(),
            active: c.active,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// All calendars.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarList {
    /// By name (not paged).
    pub items: Vec<CalendarResponse>,
}

/// A new calendar.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Oslo office hours", "time_zone": "Europe/Oslo", "working_hours": {"mon": ["08:00-16:00"], "tue": ["08:00-16:00"], "wed": ["08:00-16:00"], "thu": ["08:00-16:00"], "fri": ["08:00-16:00"]}, "holidays": ["01-01", "05-17", "12-25", "12-26"]}))]
pub struct CreateCalendarRequest {
    /// Name (unique).
    #[validate(length(max = 100))]
    pub name: String,
    /// Description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// IANA time zone.
    #[validate(length(max = 64))]
    pub time_zone: String,
    /// Working ranges per weekday.
    pub working_hours: WorkingHoursDto,
    /// Holidays: `MM-DD` every year, `YYYY-MM-DD` once.
    #[validate(length(max = 1000))]
    pub holidays: Option<Vec<String>>,
    /// Active (default `true`).
    pub active: Option<bool>,
}

/// Changes to a calendar; each given part replaces that part whole.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"holidays": ["01-01", "12-25", "2027-03-25"]}))]
pub struct UpdateCalendarRequest {
    /// New name.
    #[validate(length(max = 100))]
    pub name: Option<String>,
    /// New description.
    #[validate(length(max = 2000))]
    pub description: Option<String>,
    /// New time zone.
    #[validate(length(max = 64))]
    pub time_zone: Option<String>,
    /// New working hours (all days; days left out have none).
    pub working_hours: Option<WorkingHoursDto>,
    /// New holidays (the whole list).
    #[validate(length(max = 1000))]
    pub holidays: Option<Vec<String>>,
    /// Deactivate (`false`) or reactivate (`true`).
    pub active: Option<bool>,
}

/// List calendars.
#[utoipa::path(
    tag = "slas",
    operation_id = "list_calendars",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every calendar", body = CalendarList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/calendars")]
pub async fn list_calendars(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<CalendarList>, ApiError> {
    let items = blocking(&state, move |s| s.list_calendars(&caller.0.principal)).await?;
    Ok(web::Json(CalendarList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a calendar.
///
/// Every part is checked: an unknown zone is `unknown_time_zone` on `time_zone`; a malformed
/// range `invalid_range` or `invalid_time` on `working_hours.<day>[<i>]`; overlapping ranges
/// (also across midnight) `overlapping_ranges`; a calendar without working time
/// `no_working_hours`; a malformed holiday `invalid_holiday` on `holidays[<i>]`.
#[utoipa::path(
    tag = "slas",
    operation_id = "create_calendar",
    request_body = CreateCalendarRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = CalendarResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/calendars")]
pub async fn create_calendar(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<CreateCalendarRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let input = CalendarInput {
        name: Some(body.name),
        description: body.description,
        time_zone: Some(body.time_zone),
        working_hours: Some(body.working_hours.into_days()),
        holidays: body.holidays,
        active: body.active,
    };
    let calendar = blocking(&state, move |s| {
        s.create_calendar(&caller.0.principal, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/calendars/{}", calendar.id),
        ))
        .json(CalendarResponse::from(calendar)))
}

/// Get a calendar.
#[utoipa::path(
    tag = "slas",
    operation_id = "get_calendar",
    params(("id" = i64, Path, description = "Calendar id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The calendar", body = CalendarResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such calendar"),
    )
)]
#[get("/calendars/{id}")]
pub async fn get_calendar(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CalendarResponse>, ApiError> {
    let id = id.into_inner();
    let calendar = blocking(&state, move |s| s.get_calendar(&caller.0.principal, id)).await?;
    Ok(web::Json(calendar.into()))
}

/// Change a calendar.
///
/// Calendars are deactivated (`active: false`), never deleted. A change of zone, hours or
/// holidays recomputes the deadlines of the open tickets of every SLA on the calendar, in a
/// background job.
#[utoipa::path(
    tag = "slas",
    operation_id = "update_calendar",
    params(("id" = i64, Path, description = "Calendar id")),
    request_body = UpdateCalendarRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed calendar", body = CalendarResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such calendar"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[patch("/calendars/{id}")]
pub async fn update_calendar(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<UpdateCalendarRequest>,
) -> Result<web::Json<CalendarResponse>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let input = CalendarInput {
        name: body.name,
        description: body.description,
        time_zone: body.time_zone,
        working_hours: body.working_hours.map(WorkingHoursDto::into_days),
        holidays: body.holidays,
        active: body.active,
    };
    let calendar = blocking(&state, move |s| {
        s.update_calendar(&caller.0.principal, id, input)
    })
    .await?;
    Ok(web::Json(calendar.into()))
}
