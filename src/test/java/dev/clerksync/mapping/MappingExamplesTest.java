package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The shipped examples are valid mapping files (their tables are checked by the other mapping tests' schema). */
class MappingExamplesTest {

    @Test
    void the_examples_read() {
        assertThat(MappingFiles.read(Path.of("examples/mappings"))).extracting(Mapping::id)
                .containsExactly("convex-users", "prisma-subscription-items", "prisma-users", "prisma-audit");
    }
}
