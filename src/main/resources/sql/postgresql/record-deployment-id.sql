-- StoreIdentity: the deployment id of the first start; replicas starting at once keep the first one.
INSERT INTO clerk_sync_deployment (one_row, deployment_id, created_at)
VALUES (true, :#deploymentId, now())
ON CONFLICT (one_row) DO NOTHING
