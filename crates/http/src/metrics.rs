//! Prometheus metrics of this process: requests by route and status, latency histograms by
//! route, and database pool usage. Rendered in the text exposition format at `/metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use vakt_service::PoolStatus;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Data {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
}

/// In-process request metrics.
#[derive(Default)]
pub struct Metrics {
    data: Mutex<Data>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Records one finished request. `route` is the matched pattern (bounded cardinality).
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut data = self.data.lock().unwrap_or_else(PoisonError::into_inner);
        *data
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let histogram = data
            .latency
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        let seconds = elapsed.as_secs_f64();
        for (slot, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *slot += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The exposition text, with the pool status appended.
    pub fn render(&self, pool: PoolStatus) -> String {
        let data = self.data.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        out.push_str(
            "# HELP vakt_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE vakt_http_requests_total counter\n");
        for ((method, route, status), count) in &data.requests {
            let _ = writeln!(
                out,
                "vakt_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP vakt_http_request_duration_seconds HTTP request latency by method and route.\n",
        );
        out.push_str("# TYPE vakt_http_request_duration_seconds histogram\n");
        for ((method, route), histogram) in &data.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (count, bound) in histogram.counts.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "vakt_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "vakt_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "vakt_http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "vakt_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
        for (name, help, value) in [
            (
                "vakt_db_pool_connections",
                "Open database connections.",
                pool.connections,
            ),
            (
                "vakt_db_pool_idle_connections",
                "Open database connections not in use.",
                pool.idle,
            ),
            (
                "vakt_db_pool_max_connections",
                "Configured maximum of database connections.",
                pool.max_size,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_pool_gauges() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/api/v1/me", 200, Duration::from_millis(3));
        metrics.observe("GET", "/api/v1/me", 200, Duration::from_millis(30));
        metrics.observe("GET", "/api/v1/me", 401, Duration::from_millis(1));
        let text = metrics.render(PoolStatus {
            connections: 3,
            idle: 2,
            max_size: 10,
        });
        assert!(text.contains(
            "vakt_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"
        ));
        assert!(text.contains("vakt_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",le=\"0.005\"} 2"));
        assert!(text.contains(
            "vakt_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\"} 3"
        ));
        assert!(text.contains("vakt_db_pool_idle_connections 2"));
    }
}
