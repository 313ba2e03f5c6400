"""Named operations that change the domain. Views, API endpoints, tasks and commands call these."""
