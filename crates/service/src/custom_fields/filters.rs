//! `cf.<key>` filters and sorts of the ticket list: `cf.<key>=v` (equal; for a multiselect:
//! has the option), `cf.<key>.in=a,b` (any of), `cf.<key>.from=` / `cf.<key>.to=` (a range of
//! numbers or dates, both ends included), `cf.<key>.set=true|false` (has a value or not), and
//! `sort=cf.<key>` / `sort=-cf.<key>`.

use vakt_domain::custom_fields::{FieldType, ObjectType, parse_decimal};
use vakt_domain::{FieldErrors, ValidationError};
use vakt_persistence::repo::ticket_list::{CustomColumn, CustomCondition, CustomTest};
use vakt_persistence::time::to_db;

use super::CustomField;
use super::values::{parse_date, parse_datetime};

/// How a `cf.` parameter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldMatch {
    /// `cf.<key>=v`.
    Equals,
    /// `cf.<key>.in=a,b`.
    In,
    /// `cf.<key>.from=v`.
    From,
    /// `cf.<key>.to=v`.
    To,
    /// `cf.<key>.set=true|false`.
    Set,
}

/// One `cf.` query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFilter {
    /// The field's key.
    pub key: String,
    /// How it compares.
    pub op: FieldMatch,
    /// The parameter's value.
    pub value: String,
}

impl FieldFilter {
    /// Reads a query parameter named `cf.<key>[.<op>]`; `None` for other names.
    pub fn from_param(name: &str, value: &str) -> Option<Self> {
        let rest = name.strip_prefix("cf.")?;
        let (key, op) = match rest.rsplit_once('.') {
            Some((key, "in")) => (key, FieldMatch::In),
            Some((key, "from")) => (key, FieldMatch::From),
            Some((key, "to")) => (key, FieldMatch::To),
            Some((key, "set")) => (key, FieldMatch::Set),
            _ => (rest, FieldMatch::Equals),
        };
        Some(FieldFilter {
            key: key.to_owned(),
            op,
            value: value.to_owned(),
        })
    }

    /// The parameter's name, for error pointers.
    pub fn param(&self) -> String {
        match self.op {
            FieldMatch::Equals => format!("cf.{}", self.key),
            FieldMatch::In => format!("cf.{}.in", self.key),
            FieldMatch::From => format!("cf.{}.from", self.key),
            FieldMatch::To => format!("cf.{}.to", self.key),
            FieldMatch::Set => format!("cf.{}.set", self.key),
        }
    }
}

/// The ticket fields a caller may filter and sort by (customers: those they see).
fn usable<'a>(fields: &'a [CustomField], key: &str, customer: bool) -> Option<&'a CustomField> {
    fields.iter().find(|f| {
        f.active
            && f.object_type == ObjectType::Ticket
            && f.key == key
            && (!customer || f.customer_sees())
    })
}

fn wrong(what: &str) -> ValidationError {
    ValidationError::new("invalid", format!("must be {what}"))
}

fn test_of(field: &CustomField, filter: &FieldFilter) -> Result<CustomTest, ValidationError> {
    let t = field.field_type;
    let v = filter.value.trim();
    let int = |s: &str| s.trim().parse::<i64>().map_err(|_| wrong("a whole number"));
    let num = |s: &str| {
        parse_decimal(s)
            .map(|(_, n)| n)
            .ok_or_else(|| wrong("a decimal number"))
    };
    let time = |s: &str| {
        if t == FieldType::Date {
            parse_date(s)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .ok_or_else(|| wrong("a date (YYYY-MM-DD)"))
        } else {
            parse_datetime(s)
                .map(to_db)
                .ok_or_else(|| wrong("an RFC 3339 time"))
        }
    };
    let text = |s: &str| {
        if t == FieldType::Email {
            s.trim().to_lowercase()
        } else {
            s.trim().to_owned()
        }
    };
    let not_applicable = |what: &str| ValidationError::new("not_applicable", what.to_owned());
    Ok(match filter.op {
        FieldMatch::Set => match v {
            "true" => CustomTest::Set(true),
            "false" => CustomTest::Set(false),
            _ => return Err(wrong("true or false")),
        },
        FieldMatch::Equals => match t {
            FieldType::Integer => CustomTest::IntIn(vec![int(v)?]),
            FieldType::Checkbox => match v {
                "true" => CustomTest::IntIn(vec![1]),
                "false" => CustomTest::IntIn(vec![0]),
                _ => return Err(wrong("true or false")),
            },
            FieldType::Decimal => {
                let n = num(v)?;
                CustomTest::NumRange(Some(n), Some(n))
            }
            FieldType::Date | FieldType::Datetime => {
                let at = time(v)?;
                CustomTest::TimeRange(Some(at), Some(at))
            }
            _ => CustomTest::TextIn(vec![text(v)]),
        },
        FieldMatch::In => match t {
            FieldType::Integer => {
                CustomTest::IntIn(v.split(',').map(int).collect::<Result<_, _>>()?)
            }
            FieldType::Checkbox | FieldType::Decimal | FieldType::Date | FieldType::Datetime => {
                return Err(not_applicable(
                    "`in` is for options, text and whole numbers",
                ));
            }
            _ => CustomTest::TextIn(v.split(',').map(text).filter(|s| !s.is_empty()).collect()),
        },
        FieldMatch::From | FieldMatch::To => {
            let from = filter.op == FieldMatch::From;
            match t {
                FieldType::Integer => {
                    let n = Some(int(v)?);
                    if from {
                        CustomTest::IntRange(n, None)
                    } else {
                        CustomTest::IntRange(None, n)
                    }
                }
                FieldType::Decimal => {
                    let n = Some(num(v)?);
                    if from {
                        CustomTest::NumRange(n, None)
                    } else {
                        CustomTest::NumRange(None, n)
                    }
                }
                FieldType::Date | FieldType::Datetime => {
                    let at = Some(time(v)?);
                    if from {
                        CustomTest::TimeRange(at, None)
                    } else {
                        CustomTest::TimeRange(None, at)
                    }
                }
                _ => return Err(not_applicable("ranges are for numbers and dates")),
            }
        }
    })
}

/// The list conditions of `filters`; errors name the parameters.
pub(crate) fn conditions(
    fields: &[CustomField],
    filters: &[FieldFilter],
    customer: bool,
) -> Result<Vec<CustomCondition>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out = Vec::new();
    for filter in filters {
        let Some(field) = usable(fields, &filter.key, customer) else {
            errors.add(
                filter.param(),
                ValidationError::new("unknown_field", "is not a ticket custom field"),
            );
            continue;
        };
        match test_of(field, filter) {
            Ok(test) => out.push(CustomCondition {
                field_id: field.id,
                test,
            }),
            Err(e) => errors.add(filter.param(), e),
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// The sort of `sort=cf.<key>`: the field and the column it sorts by.
pub(crate) fn sort_column(
    fields: &[CustomField],
    key: &str,
    customer: bool,
) -> Result<(i64, CustomColumn), ValidationError> {
    let field = usable(fields, key, customer).ok_or_else(|| {
        ValidationError::new(
            "invalid_sort",
            format!("cf.{key} is not a ticket custom field"),
        )
    })?;
    let column = match field.field_type {
        FieldType::Integer | FieldType::Checkbox => CustomColumn::Int,
        FieldType::Decimal => CustomColumn::Num,
        FieldType::Date | FieldType::Datetime => CustomColumn::Time,
        FieldType::Multiselect => {
            return Err(ValidationError::new(
                "invalid_sort",
                "a multiselect field cannot be sorted by",
            ));
        }
        _ => CustomColumn::Text,
    };
    Ok((field.id, column))
}
