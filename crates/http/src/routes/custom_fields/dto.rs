//! Wire types of custom fields: definitions, and the typed `custom_fields` map that tickets,
//! articles, customers and companies carry.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use vakt_domain::custom_fields::{CustomerVisibility, FieldType, ObjectType};
use vakt_service::custom_fields::{CustomField, CustomFieldInput, FieldOption, OptionInput};
use validator::Validate;

macro_rules! wire_mirror {
    ($(#[$meta:meta])* $dto:ident <=> $domain:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $dto { $($(#[$vmeta])* $variant),* }

        impl From<$domain> for $dto {
            fn from(value: $domain) -> Self {
                match value { $($domain::$variant => $dto::$variant),* }
            }
        }

        impl From<$dto> for $domain {
            fn from(value: $dto) -> Self {
                match value { $($dto::$variant => $domain::$variant),* }
            }
        }
    };
}

wire_mirror! {
    /// What a custom field belongs to.
    ObjectTypeDto <=> ObjectType {
        /// Tickets.
        Ticket,
        /// Articles.
        Article,
        /// Customer users.
        Customer,
        /// Customer companies.
        Company,
    }
}

wire_mirror! {
    /// The type of a custom field, which decides the JSON type of its values (see
    /// `CustomFieldValue`).
    FieldTypeDto <=> FieldType {
        /// One line of text: a string.
        Text,
        /// Several lines: a string.
        Textarea,
        /// A whole number: an integer.
        Integer,
        /// A decimal: a string such as `"12.50"` (kept exactly; numbers are accepted too).
        Decimal,
        /// A date: `"2026-12-04"`.
        Date,
        /// A moment: RFC 3339, answered in UTC.
        Datetime,
        /// Yes or no: a boolean.
        Checkbox,
        /// One option: the option's value.
        Dropdown,
        /// Any options: a list of option values.
        Multiselect,
        /// An `http(s)://` address: a string.
        Url,
        /// An email address: a string.
        Email,
    }
}

wire_mirror! {
    /// What customers see of a field.
    CustomerVisibilityDto <=> CustomerVisibility {
        /// Nothing.
        Hidden,
        /// The value.
        ReadOnly,
        /// The value, and they may set it in the portal.
        Editable,
    }
}

/// A custom field's value. Its JSON type follows the field's type: `checkbox` a boolean,
/// `integer` an integer, `multiselect` a list of option values, every other type a string
/// (`dropdown` the option's value, `decimal` `"12.50"`, `date` `"2026-12-04"`, `datetime`
/// RFC 3339). `null` (in requests) clears the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CustomFieldValue {
    /// `checkbox`.
    Boolean(bool),
    /// `integer` (and `decimal` given as a number).
    Integer(i64),
    /// `decimal` given as a number.
    Number(f64),
    /// `text`, `textarea`, `url`, `email`, `dropdown`, `decimal`, `date`, `datetime`.
    Text(String),
    /// `multiselect`.
    Options(Vec<String>),
}

impl CustomFieldValue {
    /// The service's JSON form.
    pub fn into_json(self) -> Value {
        match self {
            CustomFieldValue::Boolean(b) => Value::Bool(b),
            CustomFieldValue::Integer(n) => Value::from(n),
            CustomFieldValue::Number(n) => Value::from(n),
            CustomFieldValue::Text(s) => Value::String(s),
            CustomFieldValue::Options(v) => {
                Value::Array(v.into_iter().map(Value::String).collect())
            }
        }
    }

    /// From the service's JSON form (values it produced).
    pub fn from_json(value: Value) -> Option<Self> {
        Some(match value {
            Value::Bool(b) => CustomFieldValue::Boolean(b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => CustomFieldValue::Integer(i),
                None => CustomFieldValue::Number(n.as_f64()?),
            },
            Value::String(s) => CustomFieldValue::Text(s),
            Value::Array(items) => CustomFieldValue::Options(
                items
                    .into_iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
            ),
            Value::Null | Value::Object(_) => return None,
        })
    }
}

/// Custom field values by key, as answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
#[serde(transparent)]
pub struct CustomFieldMap(pub BTreeMap<String, CustomFieldValue>);

/// Custom field values by key, as sent: keys left out stay, `null` clears a field.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct CustomFieldInputMap(pub BTreeMap<String, Option<CustomFieldValue>>);

impl utoipa::PartialSchema for CustomFieldInputMap {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::Ref;
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
        let value = OneOfBuilder::new()
            .item(Ref::from_schema_name("CustomFieldValue"))
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .build();
        ObjectBuilder::new()
            .description(Some(
                "Custom field values by key: keys left out stay, `null` clears a field.",
            ))
            .additional_properties(Some(Schema::OneOf(value)))
            .into()
    }
}

impl ToSchema for CustomFieldInputMap {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push(("CustomFieldValue".into(), CustomFieldValue::schema()));
    }
}

/// The answer's map of the service's values.
pub fn to_wire(values: vakt_service::custom_fields::FieldValues) -> CustomFieldMap {
    CustomFieldMap(
        values
            .into_iter()
            .filter_map(|(k, v)| CustomFieldValue::from_json(v).map(|v| (k, v)))
            .collect(),
    )
}

/// The service's map of a request's values.
pub fn from_wire(values: CustomFieldInputMap) -> vakt_service::custom_fields::FieldValues {
    values
        .0
        .into_iter()
        .map(|(k, v)| (k, v.map_or(Value::Null, CustomFieldValue::into_json)))
        .collect()
}

/// An option of a dropdown or multiselect.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldOptionDto {
    /// The stable value tickets store (1–100 characters, no comma).
    #[validate(length(max = 100))]
    pub value: String,
    /// Labels per language (`en`, `nl`, `nb`, `de`).
    pub labels: BTreeMap<String, String>,
    /// Retired: kept for the values that use it, no longer offered. Options that values use
    /// cannot be removed, only retired.
    #[serde(default)]
    pub retired: bool,
}

impl From<FieldOption> for CustomFieldOptionDto {
    fn from(o: FieldOption) -> Self {
        Self {
            value: o.value,
            labels: o.labels,
            retired: o.retired,
        }
    }
}

impl From<CustomFieldOptionDto> for OptionInput {
    fn from(o: CustomFieldOptionDto) -> Self {
        Self {
            value: o.value,
            labels: o.labels,
            retired: o.retired,
        }
    }
}

/// A custom field definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldResponse {
    /// Id.
    pub id: i64,
    /// What it belongs to.
    pub object_type: ObjectTypeDto,
    /// Stable key: `custom_fields.<key>`, `cf.<key>` filters, `X-Vakt-Field-<key>` headers.
    #[schema(example = "product")]
    pub key: String,
    /// Type.
    pub field_type: FieldTypeDto,
    /// Labels per language.
    pub labels: BTreeMap<String, String>,
    /// A value is required where the field applies.
    pub required: bool,
    /// Regular expression a text value must match as a whole.
    pub pattern: Option<String>,
    /// Lowest number or date.
    pub min: Option<String>,
    /// Highest number or date.
    pub max: Option<String>,
    /// Longest text, in characters.
    pub max_length: Option<i32>,
    /// Value new objects get when none is given.
    pub default_value: Option<CustomFieldValue>,
    /// Only tickets of these queues (absent: all queues).
    pub queue_ids: Option<Vec<i64>>,
    /// Only tickets of these types (absent: all types).
    pub type_ids: Option<Vec<i64>>,
    /// What customers see.
    pub customer_visibility: CustomerVisibilityDto,
    /// Order on forms (lower first).
    pub position: i32,
    /// `false`: retired (values kept, not shown or set).
    pub active: bool,
    /// Options (dropdown, multiselect), in order.
    pub options: Vec<CustomFieldOptionDto>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<CustomField> for CustomFieldResponse {
    fn from(f: CustomField) -> Self {
        Self {
            id: f.id,
            object_type: f.object_type.into(),
            key: f.key,
            field_type: f.field_type.into(),
            labels: f.labels,
            required: f.required,
            pattern: f.pattern,
            min: f.min,
            max: f.max,
            max_length: f.max_length,
            default_value: f.default_value.and_then(CustomFieldValue::from_json),
            queue_ids: f.queue_ids,
            type_ids: f.type_ids,
            customer_visibility: f.customer_visibility.into(),
            position: f.position,
            active: f.active,
            options: f.options.into_iter().map(Into::into).collect(),
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// All definitions.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFieldList {
    /// By object type, then order (not paged).
    pub items: Vec<CustomFieldResponse>,
}

/// A new custom field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "object_type": "ticket", "key": "product", "field_type": "dropdown",
    "labels": {"en": "Product", "nb": "Produkt"}, "queue_ids": [1, 2],
    "options": [{"value": "laptop", "labels": {"en": "Laptop"}}, {"value": "printer", "labels": {"en": "Printer"}}]
}))]
pub struct CreateCustomFieldRequest {
    /// What it belongs to.
    pub object_type: ObjectTypeDto,
    /// Stable key: a-z first, then a-z, 0-9, `_`; at most 50 characters; never changes.
    #[validate(length(max = 50))]
    pub key: String,
    /// Type.
    pub field_type: FieldTypeDto,
    /// Labels per language (at least one).
    pub labels: BTreeMap<String, String>,
    /// Required (default `false`).
    pub required: Option<bool>,
    /// Regular expression (text types), matched against the whole value.
    #[validate(length(max = 500))]
    pub pattern: Option<String>,
    /// Lowest value (integer, decimal, date, datetime).
    pub min: Option<String>,
    /// Highest value.
    pub max: Option<String>,
    /// Longest text (text types).
    pub max_length: Option<i32>,
    /// Default value, checked like a value.
    pub default_value: Option<CustomFieldValue>,
    /// Only these queues (ticket and article fields; absent: all).
    pub queue_ids: Option<Vec<i64>>,
    /// Only these ticket types (ticket and article fields; absent: all).
    pub type_ids: Option<Vec<i64>>,
    /// What customers see (default `hidden`).
    pub customer_visibility: Option<CustomerVisibilityDto>,
    /// Order (default 0).
    pub position: Option<i32>,
    /// Active (default `true`).
    pub active: Option<bool>,
    /// Options (dropdown, multiselect; at least one), in order.
    #[validate(nested)]
    pub options: Option<Vec<CustomFieldOptionDto>>,
}

impl From<CreateCustomFieldRequest> for CustomFieldInput {
    fn from(b: CreateCustomFieldRequest) -> Self {
        Self {
            object_type: Some(b.object_type.into()),
            key: Some(b.key),
            field_type: Some(b.field_type.into()),
            labels: Some(b.labels),
            required: b.required,
            pattern: Some(b.pattern),
            min: Some(b.min),
            max: Some(b.max),
            max_length: Some(b.max_length),
            default_value: Some(b.default_value.map(CustomFieldValue::into_json)),
            queue_ids: Some(b.queue_ids),
            type_ids: Some(b.type_ids),
            customer_visibility: b.customer_visibility.map(Into::into),
            position: b.position,
            active: b.active,
            options: b.options.map(|o| o.into_iter().map(Into::into).collect()),
        }
    }
}

/// Changes to a custom field; omitted fields stay, `null` clears. The key and object type
/// never change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"options": [{"value": "laptop", "labels": {"en": "Laptop"}, "retired": true}, {"value": "printer", "labels": {"en": "Printer"}}]}))]
pub struct UpdateCustomFieldRequest {
    /// New type; refused (`type_in_use`) while values exist, except text to textarea.
    pub field_type: Option<FieldTypeDto>,
    /// Labels per language (replaced whole).
    pub labels: Option<BTreeMap<String, String>>,
    /// Required.
    pub required: Option<bool>,
    /// Pattern.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub pattern: Option<Option<String>>,
    /// Lowest value.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub min: Option<Option<String>>,
    /// Highest value.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub max: Option<Option<String>>,
    /// Longest text.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<i32>)]
    pub max_length: Option<Option<i32>>,
    /// Default value.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<CustomFieldValue>)]
    pub default_value: Option<Option<CustomFieldValue>>,
    /// Queue scope; `null`: all queues.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub queue_ids: Option<Option<Vec<i64>>>,
    /// Ticket type scope; `null`: all types.
    #[serde(default, deserialize_with = "crate::extract::nullable")]
    #[schema(value_type = Option<Vec<i64>>)]
    pub type_ids: Option<Option<Vec<i64>>>,
    /// What customers see.
    pub customer_visibility: Option<CustomerVisibilityDto>,
    /// Order.
    pub position: Option<i32>,
    /// `false` retires the field, `true` brings it back.
    pub active: Option<bool>,
    /// The whole option list, in order; options that values use can be retired, not left out
    /// (`option_in_use`).
    #[validate(nested)]
    pub options: Option<Vec<CustomFieldOptionDto>>,
}

impl From<UpdateCustomFieldRequest> for CustomFieldInput {
    fn from(b: UpdateCustomFieldRequest) -> Self {
        Self {
            object_type: None,
            key: None,
            field_type: b.field_type.map(Into::into),
            labels: b.labels,
            required: b.required,
            pattern: b.pattern,
            min: b.min,
            max: b.max,
            max_length: b.max_length,
            default_value: b.default_value.map(|v| v.map(CustomFieldValue::into_json)),
            queue_ids: b.queue_ids,
            type_ids: b.type_ids,
            customer_visibility: b.customer_visibility.map(Into::into),
            position: b.position,
            active: b.active,
            options: b.options.map(|o| o.into_iter().map(Into::into).collect()),
        }
    }
}
