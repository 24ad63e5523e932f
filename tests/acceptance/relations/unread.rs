//! unread
