"""Background jobs: the transactional outbox every task is queued through, the relay that publishes what
the broker could not take, the base task class (late acknowledgement, retries with backoff) and the
dead-letter list of tasks that failed for good."""
