-- user.created / user.updated, for a round of deliveries at once (RelationalDecider): every
-- parameter is an array with one element per delivery, and no two deliveries of a round touch the
-- same user or svix-id. Upserts each user unless the stored one is as new or newer, or deleted (the
-- guard is in the write itself), and records each delivery; an event of a deleted user is recorded
-- erased. The transaction holds the users' locks already (begin-batch.sql): this statement's
-- snapshot holds every deletion committed before it.
-- Each EXISTS ends in OFFSET 0: it keeps PostgreSQL from turning the check into a hashed subplan
-- that reads the whole of users or audit_log once per statement, which it prefers for a page of
-- hundreds of deliveries (a backfill's) while the tables hold up to a few hundred thousand rows;
-- probing the key's index for each delivery is what scales (bench/RESULTS.md, "Erasure by id, COPY
-- against arrays"). The other action statements do the same.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#email AS text[]), CAST(:#phoneNumber AS text[]), CAST(:#firstName AS text[]),
                CAST(:#lastName AS text[]), CAST(:#username AS text[]), CAST(:#imageUrl AS text[]),
                CAST(:#createdAt AS timestamptz[]), CAST(:#updatedAt AS timestamptz[]), CAST(:#data AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              email, phone_number, first_name, last_name, username, image_url, created_at, updated_at, data)
), effect AS (
    INSERT INTO users AS u (id, email, phone_number, first_name, last_name, username, image_url,
                            created_at, updated_at, last_event_at, last_event_id, data)
    SELECT subject_id, email, phone_number, first_name, last_name, username, image_url,
           created_at, updated_at, last_event_at, event_id, data
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        email = EXCLUDED.email,
        phone_number = EXCLUDED.phone_number,
        first_name = EXCLUDED.first_name,
        last_name = EXCLUDED.last_name,
        username = EXCLUDED.username,
        image_url = EXCLUDED.image_url,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE u.last_event_at < EXCLUDED.last_event_at AND u.deleted_at IS NULL
    RETURNING u.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
