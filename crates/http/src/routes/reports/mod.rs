//! Reports (issue 16, docs/reports.md): one endpoint per report, all with the same period,
//! zone, granularity and filters, answering a table as JSON or (`Accept: text/csv`, or
//! `format=csv`) as CSV.

mod csv;
mod saved;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vakt_domain::reports::Granularity;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_service::custom_fields::FieldFilter;
use vakt_service::reports::{Cell, GroupBy, ReportKind, ReportQuery, ReportTable};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AgentCaller, WithFieldFilters};
use crate::{AppState, blocking};

/// Registers the report routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(saved::list_saved_reports)
        .service(saved::create_saved_report)
        .service(saved::get_saved_report)
        .service(saved::update_saved_report)
        .service(saved::delete_saved_report)
        .service(volume_report)
        .service(backlog_report)
        .service(response_times_report)
        .service(sla_compliance_report)
        .service(sla_breaches_report)
        .service(workload_report)
        .service(customers_report);
}

/// The period, zone, granularity and filters every report takes.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day of the period (`YYYY-MM-DD`, in `time_zone`).
    pub from: NaiveDate,
    /// Last day of the period, inclusive.
    pub to: NaiveDate,
    /// IANA time zone the days, weeks and months are read in (default `UTC`).
    #[validate(length(min = 1, max = 64))]
    pub time_zone: Option<String>,
    /// `hour`, `day` (default), `week` (ISO, from Monday) or `month`; weeks and months widen the
    /// period to whole ones. At most 2,000 periods.
    pub granularity: Option<String>,
    /// Queue ids, comma-separated; each must be one you can see (else 404). Without it, all
    /// queues you hold `ro` on.
    pub queue_id: Option<String>,
    /// Ticket type ids, comma-separated.
    pub type_id: Option<String>,
    /// Service ids, comma-separated.
    pub service_id: Option<String>,
    /// Priority levels, comma-separated (`4,5`).
    pub priority: Option<String>,
    /// Only tickets this agent owns now.
    pub owner_id: Option<i64>,
    /// Only this customer's tickets.
    pub customer_id: Option<i64>,
    /// Only this customer company's tickets.
    pub company_id: Option<i64>,
    /// Volume: `queue` or `channel` (of the first article); customers: `company` (default)
    /// or `customer`.
    pub group_by: Option<String>,
    /// `csv` for CSV whatever the `Accept` header says (for download links); `json` default.
    pub format: Option<String>,
}

/// One column of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportColumnDto {
    /// Stable key, also the CSV header.
    #[schema(example = "created")]
    pub key: String,
    /// `text`, `integer`, `number` or `timestamp` (RFC 3339, UTC).
    #[schema(example = "integer")]
    pub kind: String,
}

/// One cell: a number or text (timestamps as RFC 3339 text); `null` for none.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ReportCellDto {
    /// A whole number.
    Integer(i64),
    /// A decimal.
    Number(f64),
    /// Text or a timestamp.
    Text(String),
}

/// A report: its period as cut, its columns, and rows of cells in column order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportResponse {
    /// Which report (`volume`, `backlog`, `response_times`, `sla_compliance`, `sla_breaches`,
    /// `workload`, `customers`).
    pub report: String,
    /// Start of the period (widened to whole weeks or months), UTC.
    pub from: DateTime<Utc>,
    /// End of the period (exclusive), UTC.
    pub to: DateTime<Utc>,
    /// The zone the periods are read in.
    pub time_zone: String,
    /// `hour`, `day`, `week` or `month`.
    pub granularity: String,
    /// The columns.
    pub columns: Vec<ReportColumnDto>,
    /// The rows.
    pub rows: Vec<Vec<Option<ReportCellDto>>>,
}

impl From<ReportTable> for ReportResponse {
    fn from(table: ReportTable) -> Self {
        Self {
            report: table.report.as_str().to_owned(),
            from: table.from,
            to: table.to,
            time_zone: table.time_zone,
            granularity: table.granularity.as_str().to_owned(),
            columns: table
                .columns
                .iter()
                .map(|c| ReportColumnDto {
                    key: c.key.to_owned(),
                    kind: c.kind.as_str().to_owned(),
                })
                .collect(),
            rows: table
                .rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|cell| match cell {
                            Cell::Null => None,
                            Cell::Integer(n) => Some(ReportCellDto::Integer(n)),
                            Cell::Number(x) => Some(ReportCellDto::Number(x)),
                            Cell::Text(t) => Some(ReportCellDto::Text(t)),
                            Cell::Timestamp(t) => Some(ReportCellDto::Text(
                                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            )),
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// A comma list of ids, or a field error.
fn id_list(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<Vec<i64>> {
    let value = value?;
    let mut ids = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse() {
            Ok(id) => ids.push(id),
            Err(_) => {
                errors.add(
                    field,
                    ValidationError::new("invalid", "must be ids, comma-separated"),
                );
                return None;
            }
        }
    }
    Some(ids)
}

impl ReportParams {
    /// The service query; field errors for bad values.
    pub(crate) fn into_query(
        self,
        custom: &[(String, String)],
    ) -> Result<(ReportQuery, bool), FieldErrors> {
        let mut errors = FieldErrors::new();
        let granularity = match self.granularity.as_deref() {
            None => Granularity::Day,
            Some(g) => Granularity::parse(g.trim()).unwrap_or_else(|| {
                errors.add(
                    "granularity",
                    ValidationError::new("invalid", "must be hour, day, week or month"),
                );
                Granularity::Day
            }),
        };
        let group_by = self.group_by.as_deref().and_then(|g| {
            let parsed = GroupBy::parse(g.trim());
            if parsed.is_none() {
                errors.add(
                    "group_by",
                    ValidationError::new("invalid", "must be queue, channel, company or customer"),
                );
            }
            parsed
        });
        let csv = match self.format.as_deref() {
            None | Some("json") => false,
            Some("csv") => true,
            Some(_) => {
                errors.add(
                    "format",
                    ValidationError::new("invalid", "must be json or csv"),
                );
                false
            }
        };
        let query = ReportQuery {
            from: self.from,
            to: self.to,
            time_zone: self.time_zone.unwrap_or_else(|| "UTC".to_owned()),
            granularity,
            queue_ids: id_list(&mut errors, "queue_id", self.queue_id.as_deref()),
            type_ids: id_list(&mut errors, "type_id", self.type_id.as_deref()),
            service_ids: id_list(&mut errors, "service_id", self.service_id.as_deref()),
            priority_ids: id_list(&mut errors, "priority", self.priority.as_deref()),
            owner_id: self.owner_id,
            customer_id: self.customer_id,
            company_id: self.company_id,
            custom: custom
                .iter()
                .filter_map(|(name, value)| FieldFilter::from_param(name, value))
                .collect(),
            group_by,
        };
        errors.into_result()?;
        Ok((query, csv))
    }
}

/// Whether the client asked for CSV in `Accept`.
fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.to_ascii_lowercase().contains("text/csv"))
}

/// Runs a report and answers it in the format asked for.
async fn answer(
    kind: ReportKind,
    caller: AgentCaller,
    state: web::Data<AppState>,
    req: HttpRequest,
    params: WithFieldFilters<ReportParams>,
) -> Result<HttpResponse, ApiError> {
    let WithFieldFilters(params, custom) = params;
    let (query, csv_param) = params.into_query(&custom).map_err(ApiError::validation)?;
    let table = blocking(&state, move |s| {
        s.run_report(&caller.0.principal, kind, &query)
    })
    .await?;
    if csv_param || wants_csv(&req) {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"vakt-{}.csv\"", kind.as_str()),
            ))
            .body(csv::render(&table)));
    }
    Ok(HttpResponse::Ok().json(ReportResponse::from(table)))
}

macro_rules! report_endpoint {
    ($(#[$doc:meta])* $name:ident, $path:literal, $kind:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "reports",
            operation_id = stringify!($name),
            params(ReportParams, ("cf.{key}" = Option<String>, Query, description = "Custom field filter as in ticket search: `cf.<key>=v`, `cf.<key>.in=a,b`, `cf.<key>.from=`/`.to=`, `cf.<key>.set=true|false`")),
            security(("bearer" = [])),
            responses(
                (status = 200, description = "The report (JSON; CSV with `Accept: text/csv` or `format=csv`)", content((ReportResponse = "application/json"), (String = "text/csv"))),
                (status = 403, description = "Not an agent"),
                (status = 404, description = "A queue in `queue_id` does not exist or you cannot see it"),
            )
        )]
        #[get($path)]
        pub async fn $name(
            caller: AgentCaller,
            state: web::Data<AppState>,
            req: HttpRequest,
            params: WithFieldFilters<ReportParams>,
        ) -> Result<HttpResponse, ApiError> {
            answer($kind, caller, state, req, params).await
        }
    };
}

report_endpoint!(
    /// Ticket volume.
    ///
    /// Per period: `created`, `closed` (entering the state type `closed`) and `reopened`
    /// (leaving closed, merged or removed); with `group_by=queue` (columns `queue_id`,
    /// `queue`) or `group_by=channel` (of the first article) one row per period and group.
    volume_report, "/reports/volume", ReportKind::Volume
);

report_endpoint!(
    /// Backlog.
    ///
    /// Per period, the tickets open at its end (`at`; now for the current period):
    /// `open_total`, per state type (`new`, `open`, `pending_reminder`, `pending_auto`) and per
    /// age since creation (`under_1d`, `1d_7d`, `7d_30d`, `over_30d`).
    backlog_report, "/reports/backlog", ReportKind::Backlog
);

report_endpoint!(
    /// First response and solution times.
    ///
    /// Per period two rows (`metric` `first_response`: tickets first answered to the customer
    /// in it; `solution`: closings in it), each measured from creation: `tickets`,
    /// `median_minutes`, `p90_minutes` (nearest rank), `mean_minutes` in wall time, and the same
    /// as `business_*` in working time of the calendar of the ticket's SLA (tickets with an
    /// SLA only).
    response_times_report, "/reports/response-times", ReportKind::ResponseTimes
);

report_endpoint!(
    /// SLA compliance.
    ///
    /// Per period of creation and `target` (`first_response`, `update`, `solution`): the
    /// tickets under an SLA with that target, `met`, `breached`, `open` (running, in time),
    /// and `met_percent` = met / (met + breached).
    sla_compliance_report, "/reports/sla-compliance", ReportKind::SlaCompliance
);

report_endpoint!(
    /// SLA breaches.
    ///
    /// Every SLA deadline that passed in the period, oldest first: `due_at`, `target`, the
    /// ticket (`ticket_id`, `number`, `title`, `queue_id`, `queue`, `state_type` now).
    sla_breaches_report, "/reports/sla-breaches", ReportKind::SlaBreaches
);

report_endpoint!(
    /// Agent workload.
    ///
    /// Per agent over the whole period: `owned_open` (tickets they own that are open now),
    /// `closed` (closings they made), `replies` and `notes` (customer-visible and internal
    /// articles they wrote), `time_accounted_minutes`.
    workload_report, "/reports/workload", ReportKind::Workload
);

report_endpoint!(
    /// Customers and companies (the customer information center).
    ///
    /// Per company (`group_by=customer`: per customer user) over the whole period: `created`,
    /// `closed`, and now `open_now`, `escalated_now`; `breached`: the period's tickets with an
    /// SLA breach. Tickets without a company (customer) are the row with an empty id.
    customers_report, "/reports/customers", ReportKind::Customers
);
