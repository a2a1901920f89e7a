-- The embedded twin of db/migration/postgresql/V11: the billing tables in H2's types, their change
-- events (H2ChangeEventTrigger) and the payer's erasure when a user is deleted
-- (H2PayerErasureTrigger). INTERVAL is a keyword in H2: the column is quoted.
CREATE TABLE billing_subscriptions (
    id              VARCHAR PRIMARY KEY,
    status          VARCHAR,
    payer_id        VARCHAR,
    user_id         VARCHAR,
    organization_id VARCHAR,
    active_at       TIMESTAMP WITH TIME ZONE,
    canceled_at     TIMESTAMP WITH TIME ZONE,
    ended_at        TIMESTAMP WITH TIME ZONE,
    past_due_at     TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE,
    last_event_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id   VARCHAR NOT NULL,
    data            JSON,
    change_seq      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX billing_subscriptions_user_id ON billing_subscriptions (user_id);
CREATE INDEX billing_subscriptions_organization_id ON billing_subscriptions (organization_id);

CREATE TABLE billing_subscription_items (
    id              VARCHAR PRIMARY KEY,
    subscription_id VARCHAR,
    status          VARCHAR,
    plan_id         VARCHAR,
    plan_slug       VARCHAR,
    "INTERVAL"      VARCHAR,
    is_free_trial   BOOLEAN,
    period_start    TIMESTAMP WITH TIME ZONE,
    period_end      TIMESTAMP WITH TIME ZONE,
    user_id         VARCHAR,
    organization_id VARCHAR,
    created_at      TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE,
    last_event_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id   VARCHAR NOT NULL,
    data            JSON,
    change_seq      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX billing_subscription_items_subscription_id ON billing_subscription_items (subscription_id);
CREATE INDEX billing_subscription_items_user_id ON billing_subscription_items (user_id);
CREATE INDEX billing_subscription_items_organization_id ON billing_subscription_items (organization_id);

CREATE TABLE billing_payment_attempts (
    id              VARCHAR PRIMARY KEY,
    payment_id      VARCHAR,
    status          VARCHAR,
    user_id         VARCHAR,
    organization_id VARCHAR,
    amount          BIGINT,
    currency        VARCHAR,
    paid_at         TIMESTAMP WITH TIME ZONE,
    failed_at       TIMESTAMP WITH TIME ZONE,
    failed_reason   VARCHAR,
    billing_date    TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE,
    last_event_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id   VARCHAR NOT NULL,
    data            JSON,
    change_seq      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX billing_payment_attempts_user_id ON billing_payment_attempts (user_id);
CREATE INDEX billing_payment_attempts_organization_id ON billing_payment_attempts (organization_id);

CREATE TRIGGER billing_subscriptions_change_event BEFORE INSERT, UPDATE ON billing_subscriptions
    FOR EACH ROW CALL 'dev.clerksync.store.H2ChangeEventTrigger';
CREATE TRIGGER billing_subscription_items_change_event BEFORE INSERT, UPDATE ON billing_subscription_items
    FOR EACH ROW CALL 'dev.clerksync.store.H2ChangeEventTrigger';
CREATE TRIGGER billing_payment_attempts_change_event BEFORE INSERT, UPDATE ON billing_payment_attempts
    FOR EACH ROW CALL 'dev.clerksync.store.H2ChangeEventTrigger';

CREATE TRIGGER users_payer_erasure AFTER INSERT, UPDATE ON users
    FOR EACH ROW CALL 'dev.clerksync.store.H2PayerErasureTrigger';
