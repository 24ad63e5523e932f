#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod clock;
pub mod custom_fields;
pub mod email;
pub mod kb;
pub mod links;
pub mod locale;
pub mod principal;
pub mod reports;
pub mod rights;
pub mod search;
pub mod sla;
pub mod sort;
pub mod ticket;
pub mod validation;

pub use clock::{Clock, FixedClock, SystemClock};
pub use email::EmailAddress;
pub use principal::{Principal, UserKind};
pub use validation::{FieldErrors, ValidationError};
