//! Custom field values on ticket changes (ADR 0007).

use vakt_domain::custom_fields::ObjectType;
use vakt_domain::rights::{Access, Right};
use vakt_domain::ticket::HistoryKind;
use vakt_persistence::DbConnection;

use super::require;
use super::update::Plan;
use crate::custom_fields::values::{self, Required, Target};
use crate::custom_fields::{self, FieldValues};
use crate::error::ServiceResult;
use crate::reference::Reference;

/// Plans the custom field changes of a PATCH: the values given, and — when the queue or type
/// changes — the required fields of the new scope.
pub(crate) fn plan(
    conn: &mut DbConnection,
    access: &Access,
    reference: &Reference,
    plan: &mut Plan,
    input: Option<&FieldValues>,
) -> ServiceResult<()> {
    let type_id = plan.changes.type_id.unwrap_or(plan.row.type_id);
    let queue_id = plan.queue_id();
    let rescoped = queue_id != plan.row.queue_id || type_id != plan.row.type_id;
    if input.is_none_or(|i| i.is_empty()) && !rescoped {
        return Ok(());
    }
    let customer = access.is_customer();
    if !customer && input.is_some_and(|i| !i.is_empty()) {
        require(access, reference, &plan.row, Right::Rw)?;
    }
    let fields = custom_fields::load(conn, Some(ObjectType::Ticket))?;
    let target = Target {
        object_id: plan.row.id,
        queue_id: Some(queue_id),
        type_id,
        by_customer: customer,
        required: if rescoped {
            Required::All
        } else {
            Required::Touched
        },
    };
    let empty = FieldValues::new();
    let applied = values::apply(
        conn,
        &fields,
        ObjectType::Ticket,
        target,
        input.unwrap_or(&empty),
        false,
    )?;
    for change in applied {
        plan.record(
            HistoryKind::CustomFieldChanged,
            change.old_entry(),
            change.new_entry(),
            None,
        );
    }
    Ok(())
}
