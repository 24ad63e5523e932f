// A Vitest reporter that ends the run with one plain line, `N passed, N failed, N skipped`,
// which CI reads (Vitest's own summary is not in a form it understands). A test file that
// fails to load and an unhandled error each count as one failure, and so does a run that
// failed before any test (a broken global setup).
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

/** Prints the closing `N passed, N failed` line. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests += 1;
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (tests === 0 && module.state() === 'failed') failed += 1;
    }
    // A run that failed outside any test (global setup, no test files) still fails.
    if (reason !== 'passed' && failed === 0) failed = 1;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
