//! Identity and administration: the audit log and sessions.

mod audit_log;
mod sessions;
mod two_factor;
