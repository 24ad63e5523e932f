//! Business calendars and their administration. Each part of the input is checked by the
//! domain's own constructors (`WorkingRange`, `Holiday`, `Calendar::new`), whose refusals become
//! field errors with stable codes.

use std::str::FromStr;

use chrono::{DateTime, Utc, Weekday};
use vakt_domain::calendar::{
    Calendar, CalendarError, CalendarSpec, Holiday, WeekHours, WorkingRange,
};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::calendars::{self, CalendarChanges, CalendarRow, NewCalendar};
use vakt_persistence::repo::sla as sla_repo;
use vakt_persistence::time::{from_db, to_db};

use super::jobs::enqueue_recompute;
use super::{field_error, name_taken};
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;

/// A stored business calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Description.
    pub description: String,
    /// Time zone, working hours, holidays.
    pub calendar: Calendar,
    /// Offered for new SLAs (SLAs on an inactive calendar keep counting on it).
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// A new calendar, or changes to one (`None` leaves a part as it is; each given part replaces
/// that part whole).
#[derive(Debug, Clone, Default)]
pub struct CalendarInput {
    /// Name (required for a new calendar).
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// IANA time zone (required for a new calendar).
    pub time_zone: Option<String>,
    /// `HH:MM-HH:MM` ranges per weekday; days left out have no working time.
    pub working_hours: Option<Vec<(Weekday, Vec<String>)>>,
    /// Holidays, `MM-DD` (every year) or `YYYY-MM-DD` (once).
    pub holidays: Option<Vec<String>>,
    /// Active.
    pub active: Option<bool>,
}

/// The JSON key of a weekday (`mon` … `sun`).
pub(crate) fn day_key(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn from_row(row: CalendarRow) -> ServiceResult<BusinessCalendar> {
    let calendar = serde_json::from_str::<Calendar>(&row.spec).map_err(|e| {
        ServiceError::Internal(format!("calendar {} has unusable settings: {e}", row.id))
    })?;
    Ok(BusinessCalendar {
        id: row.id,
        name: row.name,
        description: row.description,
        calendar,
        active: row.active,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

/// Builds the calendar from `current` with the parts of `input` replaced; every refusal of the
/// domain becomes a field error (`working_hours.mon[1]`, `holidays[0]`, `time_zone`).
fn build(input: &CalendarInput, current: Option<CalendarSpec>) -> Result<Calendar, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut spec = current.unwrap_or_default();
    if let Some(zone) = &input.time_zone {
        spec.time_zone = zone.trim().to_owned();
    }
    if spec.time_zone.is_empty() {
        errors.add("time_zone", ValidationError::new("required", "is required"));
    }
    if let Some(days) = &input.working_hours {
        let mut hours = WeekHours::default();
        for (day, ranges) in days {
            for (i, text) in ranges.iter().enumerate() {
                match WorkingRange::from_str(text) {
                    Ok(range) => hours.day_mut(*day).push(range),
                    Err(error) => errors.add(
                        format!("working_hours.{}[{i}]", day_key(*day)),
                        field_error(&error),
                    ),
                }
            }
        }
        spec.working_hours = hours;
    }
    if let Some(holidays) = &input.holidays {
        spec.holidays = Vec::new();
        for (i, text) in holidays.iter().enumerate() {
            match Holiday::from_str(text.trim()) {
                Ok(holiday) => spec.holidays.push(holiday),
                Err(error) => errors.add(format!("holidays[{i}]"), field_error(&error)),
            }
        }
    }
    errors.into_result()?;
    Calendar::try_from(spec).map_err(|error| {
        let field = match &error {
            CalendarError::UnknownTimeZone(_) => "time_zone".to_owned(),
            CalendarError::OverlappingRanges { first_day, .. } => {
                format!("working_hours.{}", day_key(*first_day))
            }
            CalendarError::InvalidHoliday(_) => "holidays".to_owned(),
            _ => "working_hours".to_owned(),
        };
        FieldErrors::single(field, field_error(&error))
    })
}

fn check_texts(input: &CalendarInput, creating: bool) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(name) => {
            errors.check("name", text_length(name, 1, 100));
        }
        None if creating => errors.add("name", ValidationError::new("required", "is required")),
        None => {}
    }
    if let Some(description) = &input.description {
        errors.check("description", text_length(description, 0, 2000));
    }
    errors.into_result()
}

fn spec_json(calendar: &Calendar) -> ServiceResult<String> {
    serde_json::to_string(calendar).map_err(|e| ServiceError::Internal(e.to_string()))
}

fn find(conn: &mut DbConnection, id: i64) -> ServiceResult<CalendarRow> {
    calendars::find(conn, id)?.ok_or(ServiceError::NotFound("calendar"))
}

impl Services {
    /// Every calendar, by name (administrators).
    pub fn list_calendars(&self, actor: &Principal) -> ServiceResult<Vec<BusinessCalendar>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        calendars::list(&mut conn)?
            .into_iter()
            .map(from_row)
            .collect()
    }

    /// One calendar (administrators).
    pub fn get_calendar(&self, actor: &Principal, id: i64) -> ServiceResult<BusinessCalendar> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        from_row(find(&mut conn, id)?)
    }

    /// Creates a calendar (administrators).
    pub fn create_calendar(
        &self,
        actor: &Principal,
        input: CalendarInput,
    ) -> ServiceResult<BusinessCalendar> {
        require_admin(actor)?;
        let mut errors = check_texts(&input, true).err().unwrap_or_default();
        if input.working_hours.is_none() {
            errors.add(
                "working_hours",
                ValidationError::new("required", "is required"),
            );
        }
        errors.into_result()?;
        let calendar = build(&input, None)?;
        let spec = spec_json(&calendar)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let row = calendars::insert(
            &mut conn,
            &NewCalendar {
                name: input.name.as_deref().unwrap_or_default().trim(),
                spec: &spec,
                description: input.description.as_deref().unwrap_or_default().trim(),
                active: input.active.unwrap_or(true),
                created_at: now,
                updated_at: now,
            },
        )
        .map_err(name_taken("calendar"))?;
        log::info!(
            "user {} created calendar {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        from_row(row)
    }

    /// Changes a calendar (administrators). Calendars are deactivated, never deleted; a change
    /// of hours, holidays or zone recomputes the open tickets of every SLA on it, in a job.
    pub fn update_calendar(
        &self,
        actor: &Principal,
        id: i64,
        input: CalendarInput,
    ) -> ServiceResult<BusinessCalendar> {
        require_admin(actor)?;
        check_texts(&input, false)?;
        let now = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let current = from_row(find(conn, id)?)?;
            let changes_spec = input.time_zone.is_some()
                || input.working_hours.is_some()
                || input.holidays.is_some();
            let spec = if changes_spec {
                let calendar = build(&input, Some(current.calendar.to_spec()))?;
                (calendar != current.calendar)
                    .then(|| spec_json(&calendar))
                    .transpose()?
            } else {
                None
            };
            let changed = spec.is_some();
            let row = calendars::update(
                conn,
                id,
                &CalendarChanges {
                    name: input.name.as_deref().map(|n| n.trim().to_owned()),
                    spec,
                    description: input.description.as_deref().map(|d| d.trim().to_owned()),
                    active: input.active,
                    updated_at: Some(to_db(now)),
                },
            )
            .map_err(name_taken("calendar"))?;
            if changed {
                for sla_id in sla_repo::of_calendar(conn, id)? {
                    enqueue_recompute(
                        conn,
                        vakt_persistence::repo::escalation::Scope::Sla(sla_id),
                        now,
                    )?;
                }
            }
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed calendar {id}", actor.user_id);
        from_row(row)
    }
}
