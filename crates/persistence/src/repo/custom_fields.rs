//! Custom fields (ADR 0007): the definitions (`custom_fields`), the options of dropdowns and
//! multiselects (`custom_field_options`) and the values (`custom_field_values`, one typed row
//! per value, a multiselect one row per chosen option).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::{custom_field_options, custom_field_values, custom_fields};

/// A stored field definition.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = custom_fields)]
pub struct FieldRow {
    /// Id.
    pub id: i64,
    /// `ticket`, `article`, `customer` or `company`.
    pub object_type: String,
    /// Stable key (`product`), unique per object type.
    pub key: String,
    /// `text`, `textarea`, `integer`, `decimal`, `date`, `datetime`, `checkbox`, `dropdown`,
    /// `multiselect`, `url` or `email`.
    pub field_type: String,
    /// Labels per language (JSON object).
    pub labels: String,
    /// A value is required.
    pub required: bool,
    /// Regular expression text values must match.
    pub pattern: Option<String>,
    /// Lowest number or date (as text).
    pub min_value: Option<String>,
    /// Highest number or date (as text).
    pub max_value: Option<String>,
    /// Longest text.
    pub max_length: Option<i32>,
    /// Default value (JSON).
    pub default_value: Option<String>,
    /// Queues it applies to (JSON id list; absent: all).
    pub queue_ids: Option<String>,
    /// Ticket types it applies to (JSON id list; absent: all).
    pub type_ids: Option<String>,
    /// `hidden`, `read_only` or `editable` for customers.
    pub customer_visibility: String,
    /// Order on forms.
    pub position: i32,
    /// Retired fields (`false`) keep their values but are not shown or set.
    pub active: bool,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A definition to insert, or all of a definition's changeable columns.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = custom_fields, treat_none_as_null = true)]
pub struct FieldValues {
    /// Object type.
    pub object_type: String,
    /// Key.
    pub key: String,
    /// Type.
    pub field_type: String,
    /// Labels (JSON).
    pub labels: String,
    /// Required.
    pub required: bool,
    /// Pattern.
    pub pattern: Option<String>,
    /// Minimum.
    pub min_value: Option<String>,
    /// Maximum.
    pub max_value: Option<String>,
    /// Longest text.
    pub max_length: Option<i32>,
    /// Default (JSON).
    pub default_value: Option<String>,
    /// Queue scope (JSON).
    pub queue_ids: Option<String>,
    /// Type scope (JSON).
    pub type_ids: Option<String>,
    /// Customer visibility.
    pub customer_visibility: String,
    /// Order.
    pub position: i32,
    /// Active.
    pub active: bool,
    /// Changed at.
    pub updated_at: NaiveDateTime,
}

/// A stored option.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = custom_field_options)]
pub struct OptionRow {
    /// Id.
    pub id: i64,
    /// Field.
    pub field_id: i64,
    /// Stable value (what tickets store).
    pub value: String,
    /// Labels per language (JSON object).
    pub labels: String,
    /// Order.
    pub position: i32,
    /// Retired options are not offered; values keep them.
    pub retired: bool,
}

/// A stored value.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = custom_field_values)]
pub struct ValueRow {
    /// Field.
    pub field_id: i64,
    /// The ticket, article, customer or company.
    pub object_id: i64,
    /// Text-like values, option values, a decimal's exact text.
    pub value_text: Option<String>,
    /// Integers; checkboxes as 0/1.
    pub value_int: Option<i64>,
    /// Decimals.
    pub value_num: Option<f64>,
    /// Dates (midnight UTC) and times.
    pub value_time: Option<NaiveDateTime>,
}

/// One value to store (a multiselect passes one per option).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewValue {
    /// Text.
    pub text: Option<String>,
    /// Integer.
    pub int: Option<i64>,
    /// Decimal.
    pub num: Option<f64>,
    /// Time.
    pub time: Option<NaiveDateTime>,
}

/// Every definition, optionally of one object type, in form order.
pub fn list(conn: &mut DbConnection, object_type: Option<&str>) -> QueryResult<Vec<FieldRow>> {
    let mut query = custom_fields::table
        .select(FieldRow::as_select())
        .order((
            custom_fields::object_type.asc(),
            custom_fields::position.asc(),
            custom_fields::id.asc(),
        ))
        .into_boxed();
    if let Some(object_type) = object_type {
        query = query.filter(custom_fields::object_type.eq(object_type.to_owned()));
    }
    query.load(conn)
}

/// One definition.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<FieldRow>> {
    custom_fields::table
        .find(id)
        .select(FieldRow::as_select())
        .first(conn)
        .optional()
}

/// Inserts a definition.
pub fn insert(
    conn: &mut DbConnection,
    values: &FieldValues,
    created_at: NaiveDateTime,
) -> QueryResult<FieldRow> {
    diesel::insert_into(custom_fields::table)
        .values((values, custom_fields::created_at.eq(created_at)))
        .returning(custom_fields::all_columns)
        .get_result(conn)
}

/// Replaces a definition's columns.
pub fn update(conn: &mut DbConnection, id: i64, values: &FieldValues) -> QueryResult<FieldRow> {
    diesel::update(custom_fields::table.find(id))
        .set(values)
        .returning(custom_fields::all_columns)
        .get_result(conn)
}

/// Deletes a definition (with its options and values).
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(custom_field_values::table.filter(custom_field_values::field_id.eq(id)))
        .execute(conn)?;
    diesel::delete(custom_field_options::table.filter(custom_field_options::field_id.eq(id)))
        .execute(conn)?;
    diesel::delete(custom_fields::table.find(id)).execute(conn)?;
    Ok(())
}

/// The options of these fields, in order.
pub fn options_of(conn: &mut DbConnection, field_ids: &[i64]) -> QueryResult<Vec<OptionRow>> {
    custom_field_options::table
        .filter(custom_field_options::field_id.eq_any(field_ids.to_vec()))
        .select(OptionRow::as_select())
        .order((
            custom_field_options::field_id.asc(),
            custom_field_options::position.asc(),
        ))
        .load(conn)
}

/// Replaces a field's options with `options` (value, labels JSON, retired), in that order.
/// Existing options keep their ids; options left out are deleted.
pub fn replace_options(
    conn: &mut DbConnection,
    field_id: i64,
    options: &[(String, String, bool)],
) -> QueryResult<()> {
    let current = options_of(conn, &[field_id])?;
    let keep: Vec<&str> = options.iter().map(|(v, _, _)| v.as_str()).collect();
    let gone: Vec<i64> = current
        .iter()
        .filter(|o| !keep.contains(&o.value.as_str()))
        .map(|o| o.id)
        .collect();
    if !gone.is_empty() {
        diesel::delete(custom_field_options::table.filter(custom_field_options::id.eq_any(gone)))
            .execute(conn)?;
    }
    for (position, (value, labels, retired)) in options.iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        match current.iter().find(|o| o.value == *value) {
            Some(existing) => {
                diesel::update(custom_field_options::table.find(existing.id))
                    .set((
                        custom_field_options::labels.eq(labels),
                        custom_field_options::position.eq(position),
                        custom_field_options::retired.eq(*retired),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(custom_field_options::table)
                    .values((
                        custom_field_options::field_id.eq(field_id),
                        custom_field_options::value.eq(value),
                        custom_field_options::labels.eq(labels),
                        custom_field_options::position.eq(position),
                        custom_field_options::retired.eq(*retired),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(())
}

/// Whether any object has a value of the field.
pub fn field_in_use(conn: &mut DbConnection, field_id: i64) -> QueryResult<bool> {
    let id: Option<i64> = custom_field_values::table
        .filter(custom_field_values::field_id.eq(field_id))
        .select(custom_field_values::id)
        .first(conn)
        .optional()?;
    Ok(id.is_some())
}

/// Which of `values` (option values of the field) some object uses.
pub fn options_in_use(
    conn: &mut DbConnection,
    field_id: i64,
    values: &[String],
) -> QueryResult<Vec<String>> {
    let mut used: Vec<String> = custom_field_values::table
        .filter(custom_field_values::field_id.eq(field_id))
        .filter(custom_field_values::value_text.eq_any(values.to_vec()))
        .select(custom_field_values::value_text.assume_not_null())
        .distinct()
        .load(conn)?;
    used.sort();
    Ok(used)
}

/// The stored values of these objects for these fields.
pub fn values_of(
    conn: &mut DbConnection,
    field_ids: &[i64],
    object_ids: &[i64],
) -> QueryResult<Vec<ValueRow>> {
    if field_ids.is_empty() || object_ids.is_empty() {
        return Ok(Vec::new());
    }
    custom_field_values::table
        .filter(custom_field_values::object_id.eq_any(object_ids.to_vec()))
        .filter(custom_field_values::field_id.eq_any(field_ids.to_vec()))
        .select(ValueRow::as_select())
        .order(custom_field_values::id.asc())
        .load(conn)
}

/// Replaces the value(s) of one field of one object (none: the field is cleared).
pub fn set_values(
    conn: &mut DbConnection,
    field_id: i64,
    object_id: i64,
    values: &[NewValue],
) -> QueryResult<()> {
    diesel::delete(
        custom_field_values::table
            .filter(custom_field_values::object_id.eq(object_id))
            .filter(custom_field_values::field_id.eq(field_id)),
    )
    .execute(conn)?;
    for v in values {
        diesel::insert_into(custom_field_values::table)
            .values((
                custom_field_values::field_id.eq(field_id),
                custom_field_values::object_id.eq(object_id),
                custom_field_values::value_text.eq(v.text.clone()),
                custom_field_values::value_int.eq(v.int),
                custom_field_values::value_num.eq(v.num),
                custom_field_values::value_time.eq(v.time),
            ))
            .execute(conn)?;
    }
    Ok(())
}
