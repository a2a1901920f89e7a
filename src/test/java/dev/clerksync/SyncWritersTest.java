package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import java.util.Set;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

/** SYNC_WRITERS: by default chosen by the stores (bench/RESULTS.md, "How many writers"), or as set. */
class SyncWritersTest {

    @Test
    void by_default_two_when_postgresql_decides_alone_and_one_when_mongodb_follows_or_decides() {
        assertThat(ClerkSyncSettings.writers(properties("auto"), Set.of("postgres"))).isEqualTo(2);
        assertThat(ClerkSyncSettings.writers(properties("auto"), Set.of("postgres", "mongodb"))).isEqualTo(1);
        assertThat(ClerkSyncSettings.writers(properties("auto"), Set.of("mongodb"))).isEqualTo(1);
    }

    @Test
    void a_number_set_is_taken_whatever_the_stores() {
        assertThat(ClerkSyncSettings.writers(properties("3"), Set.of("postgres", "mongodb"))).isEqualTo(3);
        assertThat(ClerkSyncSettings.writers(properties("1"), Set.of("postgres"))).isEqualTo(1);
    }

    @Test
    void anything_else_stops_start_up_naming_the_variable() {
        assertThatThrownBy(() -> ClerkSyncSettings.writers(properties("0"), Set.of("postgres")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("SYNC_WRITERS must be 1 or more");
        assertThatThrownBy(() -> ClerkSyncSettings.writers(properties("many"), Set.of("postgres")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("SYNC_WRITERS must be a whole number");
    }

    private static PropertiesComponent properties(String writers) {
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        Properties values = new Properties();
        values.setProperty("clerk.sync.writers", writers);
        properties.setOverrideProperties(values);
        return properties;
    }
}
