//! The knowledge base's tables: categories, articles with their versions, history,
//! attachments and votes. The search index is in [`crate::search::kb`].

pub mod articles;
pub mod categories;
pub mod extras;
