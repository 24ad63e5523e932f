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
    let fields = reference.custom_fields_of(Some(ObjectType::Ticket));
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

/// The article field values of these articles (customers: the fields they may see).
pub(crate) fn of_articles(
    conn: &mut DbConnection,
    ids: &[i64],
    customer: bool,
) -> ServiceResult<std::collections::HashMap<i64, FieldValues>> {
    let fields = custom_fields::load(conn, Some(ObjectType::Article))?;
    if fields.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    values::read(conn, &fields, ids, customer)
}

/// Sets the field values of a new article (scoped by its ticket's queue and type, with
/// defaults and required fields) and records each in the ticket's history.
pub(crate) fn set_article(
    conn: &mut DbConnection,
    plan: &mut Plan,
    by_customer: bool,
    article_id: i64,
    input: &FieldValues,
) -> ServiceResult<()> {
    let fields = custom_fields::load(conn, Some(ObjectType::Article))?;
    if fields.is_empty() && input.is_empty() {
        return Ok(());
    }
    let target = Target {
        object_id: article_id,
        queue_id: Some(plan.queue_id()),
        type_id: plan.changes.type_id.unwrap_or(plan.row.type_id),
        by_customer,
        required: Required::All,
    };
    let applied = values::apply(conn, &fields, ObjectType::Article, target, input, true)?;
    for change in applied {
        plan.record(
            HistoryKind::CustomFieldChanged,
            None,
            change.new_entry(),
            Some(article_id),
        );
    }
    Ok(())
}

/// Sets the field values of a ticket's first article; errors point at
/// `article.custom_fields.<key>`.
pub(crate) fn set_first_article(
    conn: &mut DbConnection,
    target: Target,
    input: &FieldValues,
) -> ServiceResult<Vec<values::Applied>> {
    let fields = custom_fields::load(conn, Some(ObjectType::Article))?;
    if fields.is_empty() && input.is_empty() {
        return Ok(Vec::new());
    }
    values::apply(conn, &fields, ObjectType::Article, target, input, true).map_err(|e| match e {
        crate::error::ServiceError::Validation(errors) => {
            let mut prefixed = vakt_domain::FieldErrors::new();
            for (field, list) in errors.iter() {
                for error in list {
                    prefixed.add(format!("article.{field}"), error.clone());
                }
            }
            crate::error::ServiceError::Validation(prefixed)
        }
        other => other,
    })
}
