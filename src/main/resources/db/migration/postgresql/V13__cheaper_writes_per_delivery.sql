-- Less work in every delivery's transaction (bench/RESULTS.md, "Two writers for PostgreSQL alone":
-- index inserts were 9.5 % of PostgreSQL's CPU per delivery, triggers 7.5 %).
--
-- An audit_log index that another serves: audit_log_user_id (V2) is the first column of
-- audit_log_user_event (V9), which the erasure and its chunks read. Every audit insert paid for both
-- (V5 did the same for audit_log_received_at).
DROP INDEX audit_log_user_id;

-- The change-event triggers fire only in a transaction that writes change events (V6: the decider
-- says so in begin-batch.sql, a cascade chunk in cascade-begin.sql). Their function returns at once
-- otherwise, but an AFTER ROW trigger is queued for every row written and called at the end of the
-- statement; with the condition in WHEN, nothing is queued.
DROP TRIGGER users_change_event ON users;
CREATE TRIGGER users_change_event AFTER INSERT OR UPDATE ON users
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('user');
DROP TRIGGER organizations_change_event ON organizations;
CREATE TRIGGER organizations_change_event AFTER INSERT OR UPDATE ON organizations
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('organization');
DROP TRIGGER organization_memberships_change_event ON organization_memberships;
CREATE TRIGGER organization_memberships_change_event AFTER INSERT OR UPDATE ON organization_memberships
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('organizationMembership');
DROP TRIGGER billing_subscriptions_change_event ON billing_subscriptions;
CREATE TRIGGER billing_subscriptions_change_event AFTER INSERT OR UPDATE ON billing_subscriptions
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('subscription');
DROP TRIGGER billing_subscription_items_change_event ON billing_subscription_items;
CREATE TRIGGER billing_subscription_items_change_event AFTER INSERT OR UPDATE ON billing_subscription_items
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('subscriptionItem');
DROP TRIGGER billing_payment_attempts_change_event ON billing_payment_attempts;
CREATE TRIGGER billing_payment_attempts_change_event AFTER INSERT OR UPDATE ON billing_payment_attempts
    FOR EACH ROW WHEN (current_setting('clerk_sync.change_events', true) = 'on')
    EXECUTE FUNCTION clerk_sync_write_change_event('paymentAttempt');
