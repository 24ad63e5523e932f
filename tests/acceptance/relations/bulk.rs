//! Bulk changes (filled in below).
