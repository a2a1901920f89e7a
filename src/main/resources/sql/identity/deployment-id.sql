-- StoreIdentity: the deployment whose history this database holds; no row before the first start.
SELECT deployment_id FROM clerk_sync_deployment
