-- An item embedded in an applied subscription event (the embedded twin of the embedded/items part of
-- sql/postgresql/upsert-subscription.sql): upserted under its own clock, its updated_at, with the
-- subscription's svix-id; an item already newer keeps its state. No audit entry: the subscription's
-- is the delivery's. An embedded item carries no payer: nothing to erase.
MERGE INTO billing_subscription_items t
               USING (VALUES (CAST(:#subjectId AS VARCHAR),
                              CAST(:#subscriptionId AS VARCHAR),
                              CAST(:#status AS VARCHAR),
                              CAST(:#planId AS VARCHAR),
                              CAST(:#planSlug AS VARCHAR),
                              CAST(:#interval AS VARCHAR),
                              CAST(:#isFreeTrial AS BOOLEAN),
                              CAST(:#periodStart AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#periodEnd AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#userId AS VARCHAR),
                              CAST(:#organizationId AS VARCHAR),
                              CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#eventId AS VARCHAR),
                              :#data FORMAT JSON))
                     AS s (id, subscription_id, status, plan_id, plan_slug, "INTERVAL", is_free_trial, period_start, period_end, user_id, organization_id, created_at, updated_at, last_event_at, last_event_id, data)
               ON t.id = s.id
               WHEN MATCHED AND t.last_event_at < s.last_event_at THEN UPDATE SET
                   subscription_id = s.subscription_id, status = s.status, plan_id = s.plan_id, plan_slug = s.plan_slug, "INTERVAL" = s."INTERVAL", is_free_trial = s.is_free_trial, period_start = s.period_start, period_end = s.period_end, user_id = s.user_id, organization_id = s.organization_id, created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at, last_event_id = s.last_event_id, data = s.data
               WHEN NOT MATCHED THEN INSERT (id, subscription_id, status, plan_id, plan_slug, "INTERVAL", is_free_trial, period_start, period_end, user_id, organization_id, created_at, updated_at, last_event_at, last_event_id, data)
                   VALUES (s.id, s.subscription_id, s.status, s.plan_id, s.plan_slug, s."INTERVAL", s.is_free_trial, s.period_start, s.period_end, s.user_id, s.organization_id, s.created_at, s.updated_at, s.last_event_at, s.last_event_id, s.data)
