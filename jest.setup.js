// Tests assert behaviour, not log lines: keep the structured logs quiet unless LOG_LEVEL asks.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
