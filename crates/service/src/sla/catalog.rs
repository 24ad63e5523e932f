//! The SLA definitions a computation needs, loaded on first use and kept for the rest of it
//! (a batch job reuses them for every ticket; a single change loads two or three rows).

use std::collections::HashMap;
use std::sync::Arc;

use vakt_domain::calendar::Calendar;
use vakt_domain::sla::Sla;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::services::{self, ServiceRow};
use vakt_persistence::repo::{calendars, sla as sla_repo};

use crate::error::ServiceResult;

/// An SLA ready to evaluate: its rules and its calendar.
#[derive(Debug)]
pub(crate) struct SlaDef {
    /// Id.
    pub(crate) id: i64,
    /// Name.
    pub(crate) name: String,
    /// Active SLAs are in force; inactive ones apply to no ticket.
    pub(crate) active: bool,
    /// Targets, warning share, pausing state types.
    pub(crate) sla: Sla,
    /// The calendar its business minutes count on.
    pub(crate) calendar: Calendar,
}

/// Lazily loaded services, queue defaults, SLAs and calendars.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    services: HashMap<i64, Option<ServiceRow>>,
    queue_defaults: HashMap<i64, Option<i64>>,
    slas: HashMap<i64, Option<Arc<SlaDef>>>,
    calendars: HashMap<i64, Option<Calendar>>,
}

impl Catalog {
    /// A catalog that has loaded nothing yet.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A service.
    pub(crate) fn service(
        &mut self,
        conn: &mut DbConnection,
        id: i64,
    ) -> ServiceResult<Option<ServiceRow>> {
        if let Some(found) = self.services.get(&id) {
            return Ok(found.clone());
        }
        let row = services::find(conn, id)?;
        self.services.insert(id, row.clone());
        Ok(row)
    }

    fn queue_default(
        &mut self,
        conn: &mut DbConnection,
        queue_id: i64,
    ) -> ServiceResult<Option<i64>> {
        if let Some(found) = self.queue_defaults.get(&queue_id) {
            return Ok(*found);
        }
        let sla = sla_repo::queue_default(conn, queue_id)?;
        self.queue_defaults.insert(queue_id, sla);
        Ok(sla)
    }

    fn calendar(&mut self, conn: &mut DbConnection, id: i64) -> ServiceResult<Option<Calendar>> {
        if let Some(found) = self.calendars.get(&id) {
            return Ok(found.clone());
        }
        let calendar = match calendars::find(conn, id)? {
            Some(row) => match serde_json::from_str::<Calendar>(&row.spec) {
                Ok(calendar) => Some(calendar),
                Err(error) => {
                    log::error!("calendar {id} has unusable settings, ignoring it: {error}");
                    None
                }
            },
            None => None,
        };
        self.calendars.insert(id, calendar.clone());
        Ok(calendar)
    }

    /// An SLA with its calendar (`None`: missing, or its stored settings are unusable).
    pub(crate) fn sla(
        &mut self,
        conn: &mut DbConnection,
        id: i64,
    ) -> ServiceResult<Option<Arc<SlaDef>>> {
        if let Some(found) = self.slas.get(&id) {
            return Ok(found.clone());
        }
        let def = match sla_repo::find(conn, id)? {
            None => None,
            Some(row) => {
                let calendar = self.calendar(conn, row.calendar_id)?;
                match (serde_json::from_str::<Sla>(&row.spec), calendar) {
                    (Ok(sla), Some(calendar)) => Some(Arc::new(SlaDef {
                        id: row.id,
                        name: row.name,
                        active: row.active,
                        sla,
                        calendar,
                    })),
                    (Err(error), _) => {
                        log::error!("SLA {id} has unusable settings, ignoring it: {error}");
                        None
                    }
                    (Ok(_), None) => None,
                }
            }
        };
        self.slas.insert(id, def.clone());
        Ok(def)
    }

    /// The SLA in force for a ticket of `service_id` in `queue_id`: the service's when it has
    /// an active one, else the queue's default when that is active.
    pub(crate) fn in_force(
        &mut self,
        conn: &mut DbConnection,
        service_id: Option<i64>,
        queue_id: i64,
    ) -> ServiceResult<Option<Arc<SlaDef>>> {
        let service_sla = match service_id {
            Some(id) => self.service(conn, id)?.and_then(|s| s.sla_id),
            None => None,
        };
        for candidate in [service_sla, self.queue_default(conn, queue_id)?]
            .into_iter()
            .flatten()
        {
            if let Some(def) = self.sla(conn, candidate)?.filter(|d| d.active) {
                return Ok(Some(def));
            }
        }
        Ok(None)
    }
}
