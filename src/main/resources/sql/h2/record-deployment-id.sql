-- StoreIdentity: the deployment id of the first start (the embedded database has one process).
INSERT INTO clerk_sync_deployment (one_row, deployment_id, created_at)
SELECT TRUE, :#deploymentId, CURRENT_TIMESTAMP
WHERE NOT EXISTS (SELECT 1 FROM clerk_sync_deployment)
