package dev.clerksync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The change events (docs/change-events.md) not yet published, for the status panel. With a broker set,
 * WebhookConfiguration binds the outbox's (pending, oldest pending age, parked) under {@link
 * AdminView#BACKLOG_BEAN}; without one nothing is published and {@link #NONE} reports null.
 */
@FunctionalInterface
public interface ChangeEventBacklog {

    ChangeEventBacklog NONE = () -> NullNode.instance;

    /** What the status answer shows under {@code change_events}. */
    JsonNode describe();
}
