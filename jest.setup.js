// Tests assert behaviour, not log lines: keep the structured logs quiet unless LOG_LEVEL asks.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
// No metrics server per host process in tests (many hosts share one machine); tests that scrape
// start theirs on a free port (METRICS_PORT=0).
process.env.METRICS_PORT = process.env.METRICS_PORT || 'off';
