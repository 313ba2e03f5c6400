"""Every stored field, classified: personal data or not, and how long it is kept (retention class).

A test fails when a model gains a field that is not listed here, so nobody adds personal data unnoticed.
Retention classes:

- ``reference``: the catalogue, places and rooms; kept while in use, no personal data.
- ``account``: while the account exists; erased with it.
- ``candidate``: until erasure on request or the retention period (``exams.tasks.retention_erase``).
- ``staff``: while the examiner works for the agency, then one year.
- ``exam-record``: results, registrations and issued documents: kept as the law requires for exam records
  (the diploma register), attached to a pseudonym after erasure.
- ``financial``: bookings and payments: seven years (fiscal retention).
- ``audit``: security log: seven years.
- ``operational``: planning runs, messages, print batches: one year.
- ``test-only``: the built-in test payment provider's own tables; never used in production.
"""

from __future__ import annotations

#: model label -> (personal fields, other fields, retention class)
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "exams.AuditEvent": (
        ('origin',),
        ('action', 'actor_id', 'at', 'details', 'hash', 'id', 'object_id', 'object_type', 'prev_hash', 'seq'),
        "audit",
    ),
    "exams.ExamFamily": (
        (),
        ('arrival_minutes_before', 'change_allowed', 'code', 'id', 'invoice_until_days', 'max_attempts_per_part_per_year', 'name_en', 'name_nl', 'objection_days', 'one_part_per_day', 'payment_due_days', 'provision_requires_evidence', 'refund_until_days', 'registration_closes_days', 'requires_confidentiality_statement', 'results_release_days', 'summons_days'),
        "reference",
    ),
    "exams.Programme": (
        (),
        ('code', 'diploma_within_years', 'family', 'fee_cap', 'id', 'level', 'name_en', 'name_nl', 'regime'),
        "reference",
    ),
    "exams.Subject": (
        (),
        ('code', 'id', 'name_en', 'name_nl'),
        "reference",
    ),
    "exams.ExamPart": (
        (),
        ('active', 'code', 'duration_minutes', 'examiners_required', 'fee', 'id', 'is_pe', 'is_required', 'mode', 'name_en', 'name_nl', 'pass_mark', 'preparation_minutes', 'programme', 'provision_extra_minutes', 'raters_required', 'requires', 'score_scale', 'seats_per_invigilator', 'sittings_per_year', 'subject', 'validity', 'validity_years'),
        "reference",
    ),
    "exams.FixedExamDate": (
        (),
        ('ends_at', 'id', 'part', 'period', 'starts_at'),
        "reference",
    ),
    "exams.WftQualification": (
        (),
        ('code', 'id', 'modules', 'name_en', 'name_nl', 'rank'),
        "reference",
    ),
    "exams.PEPeriod": (
        (),
        ('ends_on', 'id', 'starts_on'),
        "reference",
    ),
    "exams.Location": (
        (),
        ('active', 'city', 'code', 'country', 'families', 'id', 'latitude', 'longitude', 'name', 'postcode', 'region', 'route_description', 'street', 'timezone'),
        "reference",
    ),
    "exams.Room": (
        (),
        ('active', 'computer_seats', 'id', 'location', 'name', 'oral_room', 'preparation_room', 'seats', 'separate_room_ok', 'wheelchair_accessible'),
        "reference",
    ),
    "exams.OpeningHours": (
        (),
        ('closes', 'id', 'location', 'opens', 'weekday'),
        "reference",
    ),
    "exams.Closure": (
        (),
        ('ends_at', 'id', 'location', 'reason', 'room', 'starts_at'),
        "reference",
    ),
    "exams.User": (
        ('email', 'last_login', 'password'),
        ('date_joined', 'email_verified', 'groups', 'id', 'is_active', 'is_staff', 'is_superuser', 'language', 'role', 'user_permissions'),
        "account",
    ),
    "exams.ApiToken": (
        ('key_hash',),
        ('created_at', 'expires_at', 'id', 'last_used_at', 'user'),
        "account",
    ),
    "jobs.OutboxMessage": (
        ('last_error',),
        ('args', 'attempts', 'created_at', 'id', 'kwargs', 'not_before', 'published_at', 'queue', 'task', 'task_id'),
        "operational",
    ),
    "jobs.DeadLetter": (
        ('exception', 'traceback'),
        ('args', 'failed_at', 'id', 'kwargs', 'requeued_at', 'retries', 'task', 'task_id'),
        "operational",
    ),
    "twofactor.TotpDevice": (
        ('secret',),
        ('confirmed_at', 'created_at', 'failures', 'id', 'last_step', 'locked_until', 'user'),
        "account",
    ),
    "twofactor.RecoveryCode": (
        ('code_hash',),
        ('created_at', 'id', 'used_at', 'user'),
        "account",
    ),
    "exams.Candidate": (
        ('birth_date', 'city', 'country', 'email', 'first_name', 'last_name', 'latitude', 'longitude', 'max_travel_km', 'national_id', 'phone', 'postcode', 'school', 'street'),
        ('created_at', 'id', 'language', 'user'),
        "candidate",
    ),
    "exams.CandidateDeadline": (
        (),
        ('candidate', 'due_on', 'extended_to', 'id', 'kind'),
        "candidate",
    ),
    "exams.Provision": (
        ('evidence', 'extra_minutes', 'kind', 'motivation', 'review_note'),
        ('candidate', 'created_at', 'family', 'id', 'reviewed_at', 'reviewed_by', 'status'),
        "candidate",
    ),
    "exams.Notification": (
        ('email', 'subject'),
        ('created_at', 'id', 'key', 'kind', 'language', 'sent_at'),
        "operational",
    ),
    "exams.PlanningRun": (
        ('result', 'snapshot'),
        ('bound', 'cancel_requested', 'created_at', 'created_by', 'date_from', 'date_to', 'elapsed', 'error', 'family', 'finished_at', 'gap', 'id', 'location_codes', 'objective', 'published_at', 'seed', 'solver_status', 'stage', 'started_at', 'status', 'summary', 'time_limit'),
        "operational",
    ),
    "exams.Disruption": (
        ('examiner', 'reason'),
        ('ends_on', 'id', 'kind', 'location', 'reported_at', 'reported_by', 'room', 'starts_on'),
        "operational",
    ),
    "exams.WrittenPlanRun": (
        ('error', 'reason'),
        ('applied_at', 'applied_by', 'best_penalty', 'breakdown', 'candidates', 'created_at', 'created_by', 'date_from', 'date_to', 'elapsed', 'enrolled', 'error_code', 'finished_at', 'id', 'penalty', 'period', 'seats', 'seed', 'started_at', 'status', 'stop_requested', 'time_limit', 'timetable'),
        "operational",
    ),
    "exams.RosterVersion": (
        ('after', 'before', 'changes', 'scenario'),
        ('counts', 'created_at', 'created_by', 'id', 'kind', 'notified', 'reverts', 'run', 'scope'),
        "operational",
    ),
    "exams.ExamSession": (
        (),
        ('capacity', 'created_at', 'ends_at', 'id', 'parts', 'registration_closes_at', 'room', 'seats_booked', 'starts_at', 'status', 'version'),
        "reference",
    ),
    "exams.Booking": (
        (),
        ('amount', 'candidate', 'created_at', 'created_by', 'currency', 'expires_at', 'id', 'idempotency_key', 'status'),
        "financial",
    ),
    "exams.Registration": (
        (),
        ('booking', 'candidate', 'created_at', 'fee', 'id', 'part', 'replaced_by', 'seat_number', 'session', 'status', 'updated_at'),
        "exam-record",
    ),
    "exams.RegistrationEvent": (
        (),
        ('actor', 'at', 'from_status', 'id', 'reason', 'registration', 'to_status'),
        "exam-record",
    ),
    "exams.PlacementRequest": (
        ('reason',),
        ('candidate', 'created_at', 'earliest', 'id', 'latest', 'part', 'pinned', 'preferred_location', 'registration', 'source', 'status'),
        "operational",
    ),
    "exams.Result": (
        ('passed', 'score'),
        ('candidate', 'created_at', 'id', 'part', 'registration', 'released_at', 'source', 'taken_on'),
        "exam-record",
    ),
    "exams.Examiner": (
        ('email', 'feed_key', 'first_name', 'last_name', 'school'),
        ('active', 'availability_locked', 'home_location', 'id', 'last_taught_exam_class', 'max_sessions_per_day', 'max_sessions_per_week', 'max_travel_km', 'user', 'willing_locations'),
        "staff",
    ),
    "exams.Qualification": (
        (),
        ('examiner', 'family', 'id', 'level', 'part', 'role', 'subject', 'valid_until'),
        "staff",
    ),
    "exams.Availability": (
        (),
        ('available', 'ends', 'examiner', 'id', 'location', 'on_date', 'starts', 'weekday'),
        "staff",
    ),
    "exams.ConflictOfInterest": (
        ('reason', 'school'),
        ('candidate', 'declared_at', 'examiner', 'id'),
        "staff",
    ),
    "exams.StaffAssignment": (
        ('decline_reason',),
        ('created_at', 'examiner', 'id', 'pinned', 'role', 'session', 'status'),
        "staff",
    ),
    "payments.PspPayment": (
        ('description', 'metadata'),
        ('amount', 'amount_refunded', 'closed_at', 'created_at', 'currency', 'expires_at', 'id', 'idempotency_key', 'paid_at', 'redirect_url', 'status', 'webhook_url'),
        "test-only",
    ),
    "payments.PspRefund": (
        (),
        ('amount', 'created_at', 'description', 'id', 'idempotency_key', 'payment', 'status'),
        "test-only",
    ),
    "payments.PspWebhookDelivery": (
        (),
        ('attempts', 'created_at', 'delay_seconds', 'id', 'payment', 'response_code', 'sent_at', 'status', 'url'),
        "test-only",
    ),
    "payments.Payment": (
        (),
        ('amount', 'amount_refunded', 'booking', 'checkout_url', 'created_at', 'currency', 'id', 'idempotency_key', 'paid_at', 'provider', 'provider_payment_id', 'reference', 'return_url', 'status', 'updated_at'),
        "financial",
    ),
    "payments.PaymentEvent": (
        (),
        ('at', 'from_status', 'id', 'note', 'payment', 'source', 'to_status'),
        "financial",
    ),
    "payments.Refund": (
        (),
        ('amount', 'created_at', 'error', 'id', 'idempotency_key', 'payment', 'provider_refund_id', 'reason', 'status', 'submitted_at'),
        "financial",
    ),
    "payments.WebhookEvent": (
        ('remote_addr',),
        ('id', 'outcome', 'payment', 'provider', 'provider_payment_id', 'received_at'),
        "audit",
    ),
    "certificates.Document": (
        ('parts', 'pdf_en', 'pdf_nl'),
        ('basis', 'candidate', 'created_at', 'exam_en', 'exam_nl', 'family', 'id', 'issuance_key', 'issued_on', 'kind', 'number', 'pe_period_end', 'pe_period_start', 'revoked_at', 'revoked_reason', 'status', 'valid_until', 'verification_code'),
        "exam-record",
    ),
    "certificates.ResultImport": (
        (),
        ('changed', 'created', 'created_at', 'digest', 'id', 'imported_by', 'rows', 'source'),
        "exam-record",
    ),
    "certificates.ResultRequest": (
        ('reason',),
        ('created_at', 'decided_at', 'decided_by', 'decision_note', 'id', 'kind', 'result', 'status'),
        "exam-record",
    ),
    "certificates.PrintBatch": (
        ('output',),
        ('created_at', 'created_by', 'done', 'error', 'finished_at', 'id', 'status', 'total'),
        "operational",
    ),
    "certificates.PrintBatchItem": (
        ('pages',),
        ('batch', 'document', 'id', 'position'),
        "operational",
    ),
}
