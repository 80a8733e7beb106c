"""The import pipeline's adapters: sealed payloads, line keys, existence checks, relay, tasks."""
