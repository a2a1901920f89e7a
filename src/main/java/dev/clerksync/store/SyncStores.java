package dev.clerksync.store;

import java.util.Set;
import java.util.stream.Collectors;

/** The sink routes of the stores that {@code SYNC_STORES} selects, for the fan-out's recipient list. */
public final class SyncStores {

    private final String endpoints;

    public SyncStores(Set<String> stores) {
        this.endpoints = stores.stream().map(store -> "direct:" + store).collect(Collectors.joining(","));
    }

    public String endpoints() {
        return endpoints;
    }
}
