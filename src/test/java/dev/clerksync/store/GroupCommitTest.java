package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching of {@link GroupCommit}, with real threads and a writer that records what it was given. */
class GroupCommitTest {

    private final ExecutorService requests = Executors.newCachedThreadPool();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<Thread> writingThreads = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);

    private static final class Item extends GroupCommit.Entry {
        final String id;
        final String key;
        String result;

        Item(String id, String key) {
            this.id = id;
            this.key = key;
        }

        @Override
        protected Object key() {
            return key;
        }
    }

    /** Writes "written" into each item, except items named "bad", which fail; the first write waits for the test. */
    private final GroupCommit<Item> groupCommit = new GroupCommit<>(batch -> {
        writingThreads.add(Thread.currentThread());
        batches.add(batch.stream().map(item -> item.id).toList());
        if (batches.size() == 1) {
            firstWriteStarted.countDown();
            await(firstWriteMayEnd);
        }
        for (Item item : batch) {
            if (item.id.startsWith("bad")) {
                item.fail(new IllegalArgumentException("bad item " + item.id));
            } else {
                item.result = "written";
                item.settle();
            }
        }
    }, 1, 4, size -> { });

    @AfterEach
    void stop() {
        firstWriteMayEnd.countDown();
        requests.shutdownNow();
    }

    @Test
    void a_lone_request_is_written_at_once_by_its_own_thread() {
        firstWriteMayEnd.countDown();
        Item item = new Item("a", "a");

        groupCommit.submit(item);

        assertThat(item.result).isEqualTo("written");
        assertThat(batches).containsExactly(List.of("a"));
        assertThat(writingThreads).containsExactly(Thread.currentThread());
    }

    @Test
    void requests_arriving_during_a_write_share_the_next_one_in_arrival_order_up_to_the_maximum() throws Exception {
        Future<Item> first = submitInBackground(new Item("first", "first"));
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<Item>> waiting = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            waiting.add(submitInBackground(new Item("r" + i, "r" + i)));
            awaitQueued(i);
        }

        firstWriteMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        for (Future<Item> request : waiting) {
            assertThat(request.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        }
        assertThat(batches).containsExactly(List.of("first"), List.of("r1", "r2", "r3", "r4"), List.of("r5", "r6"));
    }

    @Test
    void two_entries_with_one_key_never_share_a_batch() throws Exception {
        Future<Item> first = submitInBackground(new Item("first", "first"));
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<Item>> waiting = new ArrayList<>();
        String[][] items = {{"x1", "msg_x"}, {"y", "msg_y"}, {"x2", "msg_x"}, {"z", "msg_z"}};
        for (int i = 0; i < items.length; i++) {
            waiting.add(submitInBackground(new Item(items[i][0], items[i][1])));
            awaitQueued(i + 1);
        }

        firstWriteMayEnd.countDown();

        for (Future<Item> request : waiting) {
            assertThat(request.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        }
        assertThat(first.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        assertThat(batches).containsExactly(List.of("first"), List.of("x1", "y", "z"), List.of("x2"));
    }

    @Test
    void a_failed_entry_fails_its_own_request_only() throws Exception {
        Future<Item> first = submitInBackground(new Item("first", "first"));
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Item> good = submitInBackground(new Item("good", "good"));
        awaitQueued(1);
        Future<Item> bad = submitInBackground(new Item("bad", "bad"));
        awaitQueued(2);

        firstWriteMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        assertThat(good.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad item bad");
        assertThat(batches).containsExactly(List.of("first"), List.of("good", "bad"));
    }

    @Test
    void a_writer_that_breaks_off_fails_every_entry_of_its_batch_instead_of_leaving_it_waiting() {
        GroupCommit<Item> broken = new GroupCommit<>(batch -> {
            throw new IllegalStateException("writer broke");
        }, 1, 4, size -> { });

        assertThatThrownBy(() -> broken.submit(new Item("a", "a"))).hasMessage("writer broke");
    }

    @Test
    void with_two_writers_a_request_is_written_at_once_while_one_write_is_in_flight() throws Exception {
        CountDownLatch secondWritten = new CountDownLatch(1);
        List<List<String>> written = new CopyOnWriteArrayList<>();
        GroupCommit<Item> twoWriters = new GroupCommit<>(batch -> {
            written.add(batch.stream().map(item -> item.id).toList());
            if (batch.get(0).id.equals("first")) {
                firstWriteStarted.countDown();
                await(secondWritten);
            }
            batch.forEach(item -> {
                item.result = "written";
                item.settle();
            });
        }, 2, 4, size -> { });
        Future<Item> first = requests.submit(() -> {
            Item item = new Item("first", "first");
            twoWriters.submit(item);
            return item;
        });
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();

        Item second = new Item("second", "second");
        twoWriters.submit(second);
        secondWritten.countDown();

        assertThat(second.result).isEqualTo("written");
        assertThat(first.get(10, TimeUnit.SECONDS).result).isEqualTo("written");
        assertThat(written).containsExactly(List.of("first"), List.of("second"));
    }

    private Future<Item> submitInBackground(Item item) {
        return requests.submit(() -> {
            groupCommit.submit(item);
            return item;
        });
    }

    /** Waits until n requests are queued behind the write in flight. */
    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (groupCommit.queued() < n) {
            assertThat(System.nanoTime()).as("%d requests queued in time", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
