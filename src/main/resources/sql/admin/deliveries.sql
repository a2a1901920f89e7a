-- The admin view's deliveries page: audit entries newest first by (received_at, event_id), each
-- filter applied only when it is given (a null parameter passes everything), strictly after the
-- cursor :beforeAt/:beforeId when it is given, at most :count. The same SQL for every dialect.
-- The cursor is a row comparison, so that PostgreSQL can walk the (received_at, event_id) index
-- backwards.
SELECT event_id, event_type, subject_id, user_id, event_at, received_at, outcome
FROM audit_log
WHERE (CAST(:subject AS VARCHAR) IS NULL OR subject_id = :subject)
  AND (CAST(:user AS VARCHAR) IS NULL OR user_id = :user)
  AND (CAST(:type AS VARCHAR) IS NULL OR event_type = :type)
  AND (CAST(:outcome AS VARCHAR) IS NULL OR outcome = :outcome)
  AND (CAST(:about AS VARCHAR) IS NULL OR subject_id = :about OR user_id = :about)
  AND (CAST(:beforeId AS VARCHAR) IS NULL
       OR (received_at, event_id) < (CAST(:beforeAt AS TIMESTAMP WITH TIME ZONE), :beforeId))
ORDER BY received_at DESC, event_id DESC
LIMIT :count
