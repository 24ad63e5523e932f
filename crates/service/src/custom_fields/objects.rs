//! Custom field values of customers and companies: read for a page, set with an audit entry
//! (administrative data; tickets keep theirs in the ticket history instead).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use vakt_domain::Principal;
use vakt_domain::custom_fields::ObjectType;
use vakt_persistence::DbConnection;

use super::values::{self, FieldValues, Required, Target};
use crate::audit::{self, Change};
use crate::error::ServiceResult;

/// The values of these customers or companies, by id.
pub(crate) fn of(
    conn: &mut DbConnection,
    object_type: ObjectType,
    ids: &[i64],
) -> ServiceResult<HashMap<i64, FieldValues>> {
    let fields = super::load(conn, Some(object_type))?;
    values::read(conn, &fields, ids, false)
}

/// Sets `input` on a customer or company (with defaults and every required field when
/// `creating`), records the change in the audit log, and returns all its values.
#[expect(
    clippy::too_many_arguments,
    reason = "one call per use case; a struct would only rename them"
)]
pub(crate) fn set(
    conn: &mut DbConnection,
    actor: &Principal,
    at: DateTime<Utc>,
    object_type: ObjectType,
    object_id: i64,
    label: &str,
    input: &FieldValues,
    creating: bool,
) -> ServiceResult<FieldValues> {
    let fields = super::load(conn, Some(object_type))?;
    let target = Target {
        object_id,
        queue_id: None,
        type_id: None,
        by_customer: false,
        required: if creating {
            Required::All
        } else {
            Required::Touched
        },
    };
    let applied = values::apply(conn, &fields, object_type, target, input, creating)?;
    if !applied.is_empty() {
        let (entity, about) = match object_type {
            ObjectType::Customer => ("user", Some(object_id)),
            _ => ("company", None),
        };
        let side = |pick: fn(&values::Applied) -> Option<String>| {
            let map: Map<String, Value> = applied
                .iter()
                .map(|a| (a.key.clone(), pick(a).map_or(Value::Null, Value::String)))
                .collect();
            Value::Object(Map::from_iter([(
                "custom_fields".to_owned(),
                Value::Object(map),
            )]))
        };
        let mut change = Change::new("update", entity, object_id, label)
            .before(side(|a| a.old.clone()))
            .after(side(|a| a.new.clone()));
        if let Some(id) = about {
            change = change.about(id);
        }
        audit::record(conn, Some(actor), at, change)?;
    }
    Ok(values::read(conn, &fields, &[object_id], false)?
        .remove(&object_id)
        .unwrap_or_default())
}
