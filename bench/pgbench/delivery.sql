-- The SQL of one user.created / user.updated delivery, for pgbench: the statement of
-- src/main/resources/sql/postgresql/upsert-user.sql with the values the service would bind, so that
-- pgbench measures what PostgreSQL alone can do of the service's work. An extra CTE ("input") holds
-- the values that the service binds as parameters; the user object (~2.2 KB, two email addresses,
-- metadata) is cast to jsonb twice, as the service casts both "data" and "payload".
-- Users: 20000, picked at random; the clock is the time of the statement, so most updates apply.
\set uid random(1, 20000)
\set eid random(1, 9000000000000000000)
WITH input AS (
    SELECT 'user_pgbench' || :uid AS subject_id, 'pgbench_' || :eid AS event_id, clock_timestamp() AS clock,
           CAST('{"object": "user", "id": "user_pgbenchXzPKxkQXT4r4NxMjhAdGf", "external_id": null, "username": "hopper77300", "first_name": "Zoë", "last_name": "Hopper", "image_url": "https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYvb2F1dGhfZ29vZ2xlL2ltZ18user_pgbenchXzPKxkQXT4r4NxMjhAdGf", "profile_image_url": "https://images.clerk.dev/oauth_google/img_user_pgbenchXzPKxkQXT4r4NxMjhAdGf", "has_image": true, "primary_email_address_id": "idn_pgbenchVhOZYlB0LrQE34euv0XcI", "primary_phone_number_id": null, "primary_web3_wallet_id": null, "password_enabled": true, "two_factor_enabled": false, "totp_enabled": false, "backup_code_enabled": false, "mfa_enabled_at": null, "mfa_disabled_at": null, "banned": false, "locked": false, "lockout_expires_in_seconds": null, "verification_attempts_remaining": 100, "delete_self_enabled": true, "create_organization_enabled": true, "create_organizations_limit": null, "last_sign_in_at": 1795469930697, "last_active_at": 1795469931697, "legal_accepted_at": 1780498089686, "created_at": 1780498089686, "updated_at": 1795469931697, "email_addresses": [{"object": "email_address", "id": "idn_pgbenchVhOZYlB0LrQE34euv0XcI", "email_address": "hopper77300.0@example.com", "reserved": false, "created_at": 1780498089686, "updated_at": 1780498089686, "linked_to": [], "verification": {"status": "verified", "strategy": "from_oauth_google", "attempts": null, "expire_at": null}}, {"object": "email_address", "id": "idn_pgbenchrBeyHaT0bpjBnOPLQ7a7y", "email_address": "hopper77300.1@example.com", "reserved": false, "created_at": 1780498089686, "updated_at": 1780498089686, "linked_to": [], "verification": {"status": "verified", "strategy": "admin", "attempts": null, "expire_at": null}}], "phone_numbers": [], "web3_wallets": [], "passkeys": [], "saml_accounts": [], "enterprise_accounts": [], "external_accounts": [], "public_metadata": {"plan": "free", "role": "member", "onboarded": false, "teams": ["platform", "growth"]}, "private_metadata": {"stripe_customer_id": "cus_hopper77300", "sign_in_count": 1}, "unsafe_metadata": {"locale": "pt-BR", "theme": "dark", "onboarding": {"step": 1, "completed": false}}}' AS text) AS data
), effect AS (
    INSERT INTO users AS u (id, email, phone_number, first_name, last_name, username, image_url,
                            created_at, updated_at, last_event_at, last_event_id, data)
    SELECT subject_id, 'hopper77300.0@example.com', NULL, 'Zoë', 'Hopper', 'hopper77300',
           'https://images.clerk.dev/oauth_google/img_user_pgbench', clock - interval '30 days', clock, clock,
           event_id, CAST(data AS jsonb)
    FROM input
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE audit_log.event_id = input.event_id)
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
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
SELECT event_id, 'user.updated', subject_id, clock, clock,
       CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END,
       CAST('{"object": "event", "type": "user.updated", "instance_id": "ins_2XQbVbC0hc75v1QJ2NQr8RUdfRK", "timestamp": 1795469931752, "event_attributes": {"http_request": {"client_ip": "203.0.113.17", "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"}}, "data": ' || data || '}' AS jsonb)
FROM input
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome;
