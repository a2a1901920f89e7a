package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** The stack leaves nothing behind when start-up fails half-way, as a test class's set-up may. */
class SyncStackTest {

    @Test
    void a_service_that_cannot_start_closes_the_stores_already_open() {
        SyncStack stack = SyncStack.bothStores().with("clerk.sync.stores", "postgres,redis");

        assertThatThrownBy(stack::start).hasMessageContaining("redis");

        // 3D000: the database does not exist any more
        assertThatThrownBy(() -> stack.postgres().query("SELECT 1"))
                .cause().isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
        // the test's own client of the MongoDB server is closed with it
        assertThatThrownBy(() -> stack.mongo().database().listCollectionNames().first())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("open");
    }
}
