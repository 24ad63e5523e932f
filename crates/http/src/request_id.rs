//! The request id of the work in progress, for log lines: a task-local on the async side and
//! a thread-local inside blocking sections started by [`crate::blocking`].

use std::cell::RefCell;

tokio::task_local! {
    static TASK_REQUEST_ID: String;
}

thread_local! {
    static THREAD_REQUEST_ID: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The id of the request being handled on this task or thread, if any.
pub fn current() -> Option<String> {
    TASK_REQUEST_ID
        .try_with(Clone::clone)
        .ok()
        .or_else(|| THREAD_REQUEST_ID.with(|id| id.borrow().clone()))
}

/// Runs `future` with `id` as the current request id.
pub async fn scope<F: std::future::Future>(id: String, future: F) -> F::Output {
    TASK_REQUEST_ID.scope(id, future).await
}

/// Runs `work` on this thread with `id` as the current request id.
pub fn with_thread<T>(id: Option<String>, work: impl FnOnce() -> T) -> T {
    let previous = THREAD_REQUEST_ID.with(|slot| slot.replace(id));
    let result = work();
    THREAD_REQUEST_ID.with(|slot| *slot.borrow_mut() = previous);
    result
}

/// A new random request id (16 hex digits).
pub fn generate() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Accepts a client-supplied `X-Request-Id` only when it is short and plain.
pub fn sanitize(candidate: &str) -> Option<String> {
    let ok = !candidate.is_empty()
        && candidate.len() <= 64
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_scope_is_restored() {
        assert_eq!(current(), None);
        with_thread(Some("abc".into()), || {
            assert_eq!(current().as_deref(), Some("abc"))
        });
        assert_eq!(current(), None);
    }

    #[test]
    fn client_ids_are_sanitised() {
        assert_eq!(sanitize("req-1.2_3").as_deref(), Some("req-1.2_3"));
        assert_eq!(sanitize("bad id"), None);
        assert_eq!(sanitize(&"x".repeat(65)), None);
        assert_eq!(generate().len(), 16);
    }
}
