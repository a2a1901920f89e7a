-- Clerk Billing (contract §12, docs/billing.md): subscriptions, their items and payment attempts, one
-- row per Clerk id, upserted under the data.updated_at guard like users. Nothing deletes them (they
-- are kept for accounting): no deleted_at. user_id and organization_id are the payer's (null when
-- Clerk sends ""); no foreign keys, as for memberships: a subscription may arrive before its payer.
CREATE TABLE billing_subscriptions (
    id              text PRIMARY KEY,
    status          text,
    payer_id        text,
    user_id         text,
    organization_id text,
    active_at       timestamptz,
    canceled_at     timestamptz,
    ended_at        timestamptz,
    past_due_at     timestamptz,
    created_at      timestamptz,
    updated_at      timestamptz,
    last_event_at   timestamptz NOT NULL,
    last_event_id   text NOT NULL,
    data            jsonb,
    change_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX billing_subscriptions_user_id ON billing_subscriptions (user_id);
CREATE INDEX billing_subscriptions_organization_id ON billing_subscriptions (organization_id);

CREATE TABLE billing_subscription_items (
    id              text PRIMARY KEY,
    subscription_id text,
    status          text,
    plan_id         text,
    plan_slug       text,
    interval        text,
    is_free_trial   boolean,
    period_start    timestamptz,
    period_end      timestamptz,
    user_id         text,
    organization_id text,
    created_at      timestamptz,
    updated_at      timestamptz,
    last_event_at   timestamptz NOT NULL,
    last_event_id   text NOT NULL,
    data            jsonb,
    change_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX billing_subscription_items_subscription_id ON billing_subscription_items (subscription_id);
CREATE INDEX billing_subscription_items_user_id ON billing_subscription_items (user_id);
CREATE INDEX billing_subscription_items_organization_id ON billing_subscription_items (organization_id);

CREATE TABLE billing_payment_attempts (
    id              text PRIMARY KEY,
    payment_id      text,
    status          text,
    user_id         text,
    organization_id text,
    amount          bigint,
    currency        text,
    paid_at         timestamptz,
    failed_at       timestamptz,
    failed_reason   text,
    billing_date    timestamptz,
    created_at      timestamptz,
    updated_at      timestamptz,
    last_event_at   timestamptz NOT NULL,
    last_event_id   text NOT NULL,
    data            jsonb,
    change_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX billing_payment_attempts_user_id ON billing_payment_attempts (user_id);
CREATE INDEX billing_payment_attempts_organization_id ON billing_payment_attempts (organization_id);

DO $$
BEGIN
    ALTER TABLE billing_subscriptions ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE billing_subscription_items ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE billing_payment_attempts ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: the billing JSON columns stay compressed with pglz';
END $$;

-- Change events (§9) for the billing records, by the triggers of V4/V8. Billing records have no
-- deleted_at: the event type reads it from the row as JSON, so that a table without it is always
-- '.changed'.
CREATE OR REPLACE FUNCTION clerk_sync_write_change_event() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    after jsonb;
BEGIN
    IF current_setting('clerk_sync.change_events', true) IS DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    after := to_jsonb(NEW) - 'change_seq';
    INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, changed, data)
    VALUES (gen_random_uuid(),
            TG_ARGV[0] || CASE WHEN after ->> 'deleted_at' IS NULL THEN '.changed' ELSE '.deleted' END,
            NEW.id, NEW.change_seq, NEW.last_event_at, NEW.last_event_id,
            clerk_sync_changed_columns(CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END, after),
            after);
    RETURN NULL;
END
$$;

CREATE TRIGGER billing_subscriptions_change_seq BEFORE INSERT OR UPDATE ON billing_subscriptions
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER billing_subscriptions_change_event AFTER INSERT OR UPDATE ON billing_subscriptions
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('subscription');
CREATE TRIGGER billing_subscription_items_change_seq BEFORE INSERT OR UPDATE ON billing_subscription_items
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER billing_subscription_items_change_event AFTER INSERT OR UPDATE ON billing_subscription_items
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('subscriptionItem');
CREATE TRIGGER billing_payment_attempts_change_seq BEFORE INSERT OR UPDATE ON billing_payment_attempts
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER billing_payment_attempts_change_event AFTER INSERT OR UPDATE ON billing_payment_attempts
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('paymentAttempt');

-- Payer erasure (§12): once a user is deleted, the payer's personal data leaves the data of every
-- billing record of that user (ids, amounts, statuses and times stay). A trigger on users, so that
-- every path that deletes a user (a delivery, a reconcile) erases without being told; a user's
-- billing records are few, so it runs inline, never in CascadeWork's chunks. The erasure changes
-- the record's data: its change event says so (changed: data). Later billing events about the payer
-- are stored without it by their own statements (:#dataErased).
CREATE FUNCTION clerk_sync_erase_payer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE billing_subscriptions SET data = jsonb_set(data, '{payer}', (data -> 'payer') - clerk_sync_payer_personal_fields())
    WHERE user_id = NEW.id AND jsonb_typeof(data -> 'payer') = 'object' AND (data -> 'payer') ?| clerk_sync_payer_personal_fields();
    UPDATE billing_subscription_items SET data = jsonb_set(data, '{payer}', (data -> 'payer') - clerk_sync_payer_personal_fields())
    WHERE user_id = NEW.id AND jsonb_typeof(data -> 'payer') = 'object' AND (data -> 'payer') ?| clerk_sync_payer_personal_fields();
    UPDATE billing_payment_attempts SET data = jsonb_set(data, '{payer}', (data -> 'payer') - clerk_sync_payer_personal_fields())
    WHERE user_id = NEW.id AND jsonb_typeof(data -> 'payer') = 'object' AND (data -> 'payer') ?| clerk_sync_payer_personal_fields();
    RETURN NULL;
END
$$;

-- The payer's personal data in Clerk's billing objects (dev.clerksync.store.BillingPayer has the same list).
CREATE FUNCTION clerk_sync_payer_personal_fields() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['first_name', 'last_name', 'email', 'image_url', 'profile_image_url']
$$;

CREATE TRIGGER users_payer_erasure AFTER INSERT OR UPDATE OF deleted_at ON users
    FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION clerk_sync_erase_payer();
