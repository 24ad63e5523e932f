//! Custom fields of tickets made from mail: set by postmaster filters, and by
//! `X-Vakt-Field-<key>: value` headers where the queue trusts them. Mail is never refused for a
//! field: a value that does not fit is left out (and logged), required fields are not enforced.

use std::collections::BTreeMap;

use vakt_domain::custom_fields::ObjectType;
use vakt_persistence::DbConnection;

use super::values::{self, Applied, FieldValues, Required, Target};
use super::{load, parse_text};
use crate::error::ServiceResult;

/// The header prefix that names a field.
pub const HEADER_PREFIX: &str = "x-vakt-field-";

/// Sets the fields of a new mail ticket: the trusted headers' values, then the filters'
/// (which win), then the defaults.
pub(crate) fn for_new_ticket(
    conn: &mut DbConnection,
    ticket_id: i64,
    queue_id: i64,
    type_id: Option<i64>,
    headers: &[(&str, &str)],
    from_filters: &BTreeMap<String, String>,
) -> ServiceResult<Vec<Applied>> {
    let fields = load(conn, Some(ObjectType::Ticket))?;
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if let Some(key) = name.strip_prefix(HEADER_PREFIX) {
            texts.insert(key.to_owned(), (*value).to_owned());
        }
    }
    texts.extend(from_filters.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut given = FieldValues::new();
    for (key, text) in texts {
        let field = fields
            .iter()
            .find(|f| f.active && f.key == key && f.applies_to(Some(queue_id), type_id));
        let Some(field) = field else {
            log::info!("ticket {ticket_id}: mail names custom field {key:?}, which does not apply");
            continue;
        };
        let value = parse_text(field.field_type, &text);
        match values::parse(field, &value, None) {
            Ok(_) => {
                given.insert(key, value);
            }
            Err(e) => log::info!(
                "ticket {ticket_id}: mail value for custom field {key:?} left out: {}",
                e.message
            ),
        }
    }
    let target = Target {
        object_id: ticket_id,
        queue_id: Some(queue_id),
        type_id,
        by_customer: false,
        required: Required::Skip,
    };
    values::apply(conn, &fields, ObjectType::Ticket, target, &given, true)
}
