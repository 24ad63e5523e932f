//! Statistics and reports (SPEC §7, §9; issue 16): volume, backlog, response and solution
//! times, SLA compliance and breaches, agent workload, and the customer information center.
//!
//! Every figure is computed from what the ticket records (the state-type log, the SLA facts
//! and marks, articles, history) for the requested period, so a past period reads the same
//! whenever it is asked for. Tickets are selected by their current attributes (queue, type,
//! service, priority, owner, customer, company, custom fields), seen through the caller's
//! rights: agents count only queues on which they hold `ro`. See docs/reports.md and ADR 0012.

mod compliance;
mod customers;
mod dataset;
mod saved;
mod table;
mod times;
mod volume;
mod workload;

use chrono::NaiveDate;
use vakt_domain::Principal;
use vakt_domain::reports::Granularity;

pub use saved::{SavedReport, SavedReportInput};
pub use table::{Cell, CellKind, Column, ReportTable};

use crate::Services;
use crate::custom_fields::FieldFilter;
use crate::error::{ServiceError, ServiceResult};

/// The reports there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// Created, closed and reopened per period (by queue or channel).
    Volume,
    /// Open tickets at each period's end, by state type and age.
    Backlog,
    /// First response and solution times per period: median, p90, mean; wall and business.
    ResponseTimes,
    /// Share of tickets meeting each SLA target, per period of creation.
    SlaCompliance,
    /// The SLA deadlines that passed in the period.
    SlaBreaches,
    /// Per agent: tickets owned, closings, replies, notes, time accounted.
    Workload,
    /// Per company (or customer): tickets, closings, open and escalated now, breaches.
    Customers,
}

impl ReportKind {
    /// Every report.
    pub const ALL: [ReportKind; 7] = [
        Self::Volume,
        Self::Backlog,
        Self::ResponseTimes,
        Self::SlaCompliance,
        Self::SlaBreaches,
        Self::Workload,
        Self::Customers,
    ];

    /// Parses the wire name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// The wire name (also the CSV file name; the endpoint's path with `-` for `_`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Volume => "volume",
            Self::Backlog => "backlog",
            Self::ResponseTimes => "response_times",
            Self::SlaCompliance => "sla_compliance",
            Self::SlaBreaches => "sla_breaches",
            Self::Workload => "workload",
            Self::Customers => "customers",
        }
    }
}

/// How the volume and customer reports split their rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Per queue (volume).
    Queue,
    /// Per channel of the ticket's first article (volume).
    Channel,
    /// Per customer company (customers; the default there).
    Company,
    /// Per customer user (customers).
    Customer,
}

impl GroupBy {
    /// Parses the wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "queue" => Some(Self::Queue),
            "channel" => Some(Self::Channel),
            "company" => Some(Self::Company),
            "customer" => Some(Self::Customer),
            _ => None,
        }
    }
}

/// A report's period, zone, granularity and ticket filters.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    /// First day (in `time_zone`).
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// IANA zone the days, weeks and months are read in.
    pub time_zone: String,
    /// Bucket length.
    pub granularity: Granularity,
    /// Only these queues (each must be visible to the caller).
    pub queue_ids: Option<Vec<i64>>,
    /// Only these ticket types.
    pub type_ids: Option<Vec<i64>>,
    /// Only these services.
    pub service_ids: Option<Vec<i64>>,
    /// Only these priorities.
    pub priority_ids: Option<Vec<i64>>,
    /// Only tickets owned by this agent now.
    pub owner_id: Option<i64>,
    /// Only this customer's tickets.
    pub customer_id: Option<i64>,
    /// Only this company's tickets.
    pub company_id: Option<i64>,
    /// Custom field conditions, as in ticket search.
    pub custom: Vec<FieldFilter>,
    /// How to split rows (volume: queue, channel; customers: company, customer).
    pub group_by: Option<GroupBy>,
}

impl Services {
    /// Runs one report for `actor` (agents and administrators).
    pub fn run_report(
        &self,
        actor: &Principal,
        kind: ReportKind,
        query: &ReportQuery,
    ) -> ServiceResult<ReportTable> {
        let allowed = match kind {
            ReportKind::Volume => &[GroupBy::Queue, GroupBy::Channel][..],
            ReportKind::Customers => &[GroupBy::Company, GroupBy::Customer][..],
            _ => &[][..],
        };
        if let Some(group) = query.group_by
            && !allowed.contains(&group)
        {
            return Err(ServiceError::invalid(
                "group_by",
                "invalid",
                format!("is not offered by the {} report", kind.as_str()),
            ));
        }
        let mut data = dataset::Dataset::load(self, actor, kind, query)?;
        let rows = match kind {
            ReportKind::Volume => volume::volume(&mut data, query.group_by)?,
            ReportKind::Backlog => volume::backlog(&data),
            ReportKind::ResponseTimes => times::response_times(&mut data)?,
            ReportKind::SlaCompliance => compliance::compliance(&mut data)?,
            ReportKind::SlaBreaches => compliance::breaches(&mut data)?,
            ReportKind::Workload => workload::workload(&mut data)?,
            ReportKind::Customers => {
                customers::customers(&mut data, query.group_by.unwrap_or(GroupBy::Company))?
            }
        };
        Ok(data.table(kind, rows))
    }
}
