-- The status panel's counts: audit entries received since :since, by outcome.
SELECT outcome, COUNT(*) AS n FROM audit_log WHERE received_at >= :since GROUP BY outcome
