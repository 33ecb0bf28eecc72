"""Logs, traces and metrics: one module per concern (logging, redaction, context, tracing, metrics)."""
