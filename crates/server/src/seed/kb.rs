//! Seeding the knowledge base: a category per visibility-mixed topic, owned by the first seeded
//! queue's group, and articles in the four languages with a third of each visibility, all
//! published and indexed, for the KB search benchmark.

use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use vakt_domain::kb::slugify;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::kb::articles::{self, KbArticleChanges, NewKbArticle};
use vakt_persistence::repo::kb::categories::{self, NewCategory};
use vakt_persistence::search::kb::{self as index, KbText};
use vakt_persistence::time::to_db;

use super::text;

const LANGUAGES: [&str; 4] = ["en", "nl", "nb", "de"];
const VISIBILITIES: [&str; 3] = ["internal", "customer", "public"];
/// Articles per transaction.
const BATCH: u64 = 1000;

/// Writes `count` published articles authored by `author` in 10 categories owned by `group`.
pub fn seed(
    conn: &mut DbConnection,
    count: u64,
    group: i64,
    author: (i64, &str),
    seed: u64,
) -> Result<(), vakt_persistence::PersistenceError> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6b62);
    let now = to_db(Utc::now());
    let mut category_ids = Vec::new();
    for n in 0..10 {
        let name = format!("Seeded topic {seed}-{n}");
        let row = categories::insert(
            conn,
            &NewCategory {
                parent_id: None,
                group_id: group,
                name: &name,
                description: "",
                position: n,
                created_at: now,
                updated_at: now,
            },
        )?;
        category_ids.push(row.id);
    }
    let mut done = 0;
    while done < count {
        let end = (done + BATCH).min(count);
        conn.write_transaction(|conn| -> Result<(), vakt_persistence::PersistenceError> {
            for n in done..end {
                let title = text::title(&mut rng);
                let code = format!("KB-{seed}-{n:06}");
                let body = text::body(&mut rng, &code);
                let keywords = text::words(&mut rng, 3).replace(' ', "\n");
                let index_of = usize::try_from(n).unwrap_or(0);
                let row = articles::insert(
                    conn,
                    &NewKbArticle {
                        entry_id: 0,
                        category_id: category_ids[rng.gen_range(0..category_ids.len())],
                        language: LANGUAGES[index_of % LANGUAGES.len()],
                        title: &title,
                        slug: &slugify(&title),
                        body_html: &format!("<p>{body}</p>"),
                        body_text: &body,
                        keywords: &keywords,
                        visibility: VISIBILITIES[index_of % VISIBILITIES.len()],
                        state: "published",
                        version: 1,
                        view_count: 0,
                        helpful_count: 0,
                        not_helpful_count: 0,
                        created_by: author.0,
                        created_at: now,
                        updated_by: author.0,
                        updated_at: now,
                        published_at: Some(now),
                    },
                )?;
                articles::update(
                    conn,
                    row.id,
                    &KbArticleChanges {
                        entry_id: Some(row.id),
                        ..KbArticleChanges::default()
                    },
                )?;
                index::index(
                    conn,
                    &KbText {
                        article_id: row.id,
                        title: &title,
                        keywords: &keywords,
                        body: &body,
                        author: author.1,
                    },
                )?;
            }
            Ok(())
        })?;
        done = end;
        println!("  {done} knowledge-base articles");
    }
    Ok(())
}
