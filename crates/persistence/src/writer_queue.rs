//! One queue of SQLite writers per database file and process.
//!
//! SQLite allows one writer at a time. Without this queue, a writer that finds the file locked
//! sleeps in SQLite's busy handler (1, 2, 5, 10, … 100 ms steps) and retries, so under a burst
//! of writes the ones that lose a few rounds wait far longer than the work in front of them:
//! on 4 clients creating tickets the p99 was 600 ms for transactions that take a few
//! milliseconds. Here writers of one process line up in arrival order and each is woken the
//! moment the one before it commits. Writers in other processes (a `vakt` command beside the
//! server) still meet at SQLite's own lock, where `busy_timeout` applies as before.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, LazyLock, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// The writers of one database file waiting for, or holding, their turn.
#[derive(Debug, Default)]
pub(crate) struct WriterQueue {
    state: Mutex<Line>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Line {
    /// Whether a writer holds its turn.
    busy: bool,
    /// Waiting writers, first come first.
    waiting: VecDeque<u64>,
    next_ticket: u64,
}

/// The queues of this process, by canonical file path (entries die with their last connection).
static QUEUES: LazyLock<Mutex<HashMap<PathBuf, Weak<WriterQueue>>>> =
    LazyLock::new(Default::default);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A writer that panicked held no invariant that poisoning would protect.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl WriterQueue {
    /// The queue shared by every connection of this process to the file at `path`.
    pub(crate) fn for_file(path: &Path) -> Arc<WriterQueue> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut queues = lock(&QUEUES);
        queues.retain(|_, queue| queue.strong_count() > 0);
        if let Some(queue) = queues.get(&key).and_then(Weak::upgrade) {
            return queue;
        }
        let queue = Arc::new(WriterQueue::default());
        queues.insert(key, Arc::downgrade(&queue));
        queue
    }

    /// Waits for this writer's turn, at most `patience`. `None` after that: the caller goes on
    /// to SQLite's own lock (and its busy timeout), so a writer stuck in front never blocks the
    /// others for ever.
    pub(crate) fn enter(self: &Arc<Self>, patience: Duration) -> Option<WriterTurn> {
        let deadline = Instant::now() + patience;
        let mut line = lock(&self.state);
        let ticket = line.next_ticket;
        line.next_ticket = line.next_ticket.wrapping_add(1);
        line.waiting.push_back(ticket);
        loop {
            if !line.busy && line.waiting.front() == Some(&ticket) {
                line.waiting.pop_front();
                line.busy = true;
                return Some(WriterTurn {
                    queue: Arc::clone(self),
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                line.waiting.retain(|&t| t != ticket);
                drop(line);
                // The writer behind may now be first.
                self.changed.notify_all();
                return None;
            }
            line = self
                .changed
                .wait_timeout(line, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// A writer's turn; the next writer is woken when it is dropped (after commit or rollback).
#[derive(Debug)]
pub(crate) struct WriterTurn {
    queue: Arc<WriterQueue>,
}

impl Drop for WriterTurn {
    fn drop(&mut self) {
        lock(&self.queue.state).busy = false;
        self.queue.changed.notify_all();
    }
}

/// Carries a connection's [`WriterQueue`]: diesel lets a connection own one instrumentation
/// object and hands it back by type, which is the only place a `SqliteConnection` keeps data
/// of ours. It observes no events.
pub(crate) struct QueueOfConnection(pub(crate) Arc<WriterQueue>);

impl Instrumentation for QueueOfConnection {
    fn on_connection_event(&mut self, _event: InstrumentationEvent<'_>) {}
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn connections_to_one_file_share_one_queue() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        std::fs::write(&file, b"").unwrap();
        let a = WriterQueue::for_file(&file);
        let b = WriterQueue::for_file(&dir.path().join(".").join("a.db"));
        assert!(Arc::ptr_eq(&a, &b));
        let other = dir.path().join("b.db");
        std::fs::write(&other, b"").unwrap();
        assert!(!Arc::ptr_eq(&a, &WriterQueue::for_file(&other)));
    }

    #[test]
    fn writers_take_turns_one_at_a_time_in_arrival_order() {
        let queue = Arc::new(WriterQueue::default());
        let first = queue.enter(Duration::from_secs(5)).unwrap();
        let inside = Arc::new(AtomicUsize::new(0));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        for n in 0..4 {
            let (mine, inside, order) = (queue.clone(), inside.clone(), order.clone());
            threads.push(std::thread::spawn(move || {
                let _turn = mine.enter(Duration::from_secs(5)).unwrap();
                assert_eq!(
                    inside.fetch_add(1, Ordering::SeqCst),
                    0,
                    "two writers at once"
                );
                order.lock().unwrap().push(n);
                std::thread::sleep(Duration::from_millis(5));
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
            // Let each thread queue before the next one arrives.
            while lock(&queue.state).waiting.len() < n + 1 {
                std::thread::yield_now();
            }
        }
        drop(first);
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn an_impatient_writer_leaves_the_line_and_the_next_one_moves_up() {
        let queue = Arc::new(WriterQueue::default());
        let holder = queue.enter(Duration::from_secs(1)).unwrap();
        assert!(queue.enter(Duration::from_millis(20)).is_none());
        assert!(lock(&queue.state).waiting.is_empty());
        drop(holder);
        assert!(queue.enter(Duration::from_millis(20)).is_some());
    }
}
