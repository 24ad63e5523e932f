//! Integration tests of `vakt-mail`, in one binary (one link step).
//!
//! - `corpus`: the tricky-message corpus in `tests/data/mail/`, pinned with insta snapshots.
//! - `compose`: composing outbound mail and reading it back.
//! - `servers`: transports and fetchers against real dovecot and aiosmtpd processes.

mod compose;
mod corpus;
mod harness;
mod servers;
