package dev.clerksync.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The change events (contract §9) not yet published, for the status panel. There is no outbox yet:
 * {@link #NONE} reports null. The outbox binds its own under {@link AdminView#BACKLOG_BEAN} (e.g.
 * pending rows and the oldest one's age), and the status answer shows it.
 */
@FunctionalInterface
public interface ChangeEventBacklog {

    ChangeEventBacklog NONE = () -> NullNode.instance;

    /** What the status answer shows under {@code change_events}. */
    JsonNode describe();
}
