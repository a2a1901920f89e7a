package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clerksync.support.Concurrently;
import org.junit.jupiter.api.Test;

/**
 * With several writers, two of them may take their next batch at the same moment: each entry must
 * still be written exactly once (a delivery written twice is audited by one write and found audited
 * by the other, and may then answer {@code duplicate} although nobody else answers its outcome).
 */
class GroupCommitWritersTest {

    static final class Item extends GroupCommit.Entry {
        final int id;

        Item(int id) {
            this.id = id;
        }

        @Override
        protected Object key() {
            return id;
        }
    }

    @Test
    void severalWritersNeverWriteOneEntryTwice() throws Exception {
        Map<Integer, AtomicInteger> writes = new ConcurrentHashMap<>();
        GroupCommit<Item> groupCommit = new GroupCommit<>(batch -> {
            for (Item item : batch) {
                writes.computeIfAbsent(item.id, id -> new AtomicInteger()).incrementAndGet();
                Thread.onSpinWait();
            }
            batch.forEach(Item::settle);
        }, 4, 8, size -> { });
        List<Callable<Void>> submits = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int id = i;
            submits.add(() -> {
                groupCommit.submit(new Item(id));
                return null;
            });
        }

        Concurrently.run(32, submits);

        assertThat(writes).hasSize(20_000);
        assertThat(writes.entrySet()).filteredOn(e -> e.getValue().get() != 1).isEmpty();
    }
}
