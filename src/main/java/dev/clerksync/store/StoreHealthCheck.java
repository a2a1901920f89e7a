package dev.clerksync.store;

import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one store: the service is ready only while every configured store answers a
 * trivial request, so that a load balancer or Kubernetes stops sending deliveries that would be
 * answered 503 anyway. Liveness does not depend on it: a store outage is no reason for a restart.
 */
public final class StoreHealthCheck extends AbstractHealthCheck {

    private final Callable<Boolean> probe;

    public StoreHealthCheck(String store, Callable<Boolean> probe) {
        super("clerk-sync", "store-" + store);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (Boolean.TRUE.equals(probe.call())) {
                builder.up();
            } else {
                builder.down().message("the store did not answer");
            }
        } catch (Exception e) {
            builder.down().message("the store did not answer: " + e.getClass().getSimpleName());
        }
    }
}
