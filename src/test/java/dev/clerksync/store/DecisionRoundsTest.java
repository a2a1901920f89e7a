package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class DecisionRoundsTest {

    /** A delivery named by its position, holding some keys. */
    private record Delivery(int position, Set<String> keys) {
    }

    @Test
    void deliveries_that_share_no_key_share_the_first_round() {
        List<Delivery> batch = List.of(new Delivery(0, Set.of("user:a")), new Delivery(1, Set.of("user:b")),
                new Delivery(2, Set.of("user:c", "organization:x")));

        assertThat(DecisionRounds.of(batch, Delivery::keys, d -> List.of())).containsExactly(batch);
    }

    @Test
    void a_delivery_goes_one_round_after_the_last_that_holds_any_of_its_keys() {
        Delivery a1 = new Delivery(0, Set.of("user:a"));
        Delivery b1 = new Delivery(1, Set.of("user:b"));
        Delivery a2 = new Delivery(2, Set.of("user:a"));
        Delivery ab = new Delivery(3, Set.of("user:b", "user:a"));
        Delivery c1 = new Delivery(4, Set.of("user:c"));

        assertThat(DecisionRounds.of(List.of(a1, b1, a2, ab, c1), Delivery::keys, d -> List.of()))
                .containsExactly(List.of(a1, b1, c1), List.of(a2), List.of(ab));
    }

    /** What makes deciding round after round the same as one after the other, over random batches. */
    @Test
    void rounds_hold_disjoint_keys_and_keep_the_order_of_every_key() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            List<Delivery> batch = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(64); i++) {
                batch.add(new Delivery(i, random.ints(1 + random.nextInt(3), 0, 12)
                        .mapToObj(k -> "key:" + k).collect(Collectors.toSet())));
            }
            List<List<Delivery>> rounds = DecisionRounds.of(batch, Delivery::keys, d -> List.of());

            assertThat(rounds.stream().mapToInt(List::size).sum()).isEqualTo(batch.size());
            for (List<Delivery> round : rounds) {
                assertThat(round.stream().flatMap(d -> d.keys().stream()).distinct().count())
                        .as("no key twice in a round").isEqualTo(round.stream().mapToLong(d -> d.keys().size()).sum());
            }
            List<Delivery> inRoundOrder = rounds.stream().flatMap(List::stream).toList();
            for (int i = 0; i < inRoundOrder.size(); i++) {
                for (int j = i + 1; j < inRoundOrder.size(); j++) {
                    Delivery earlier = inRoundOrder.get(i);
                    Delivery later = inRoundOrder.get(j);
                    if (earlier.keys().stream().anyMatch(later.keys()::contains)) {
                        assertThat(earlier.position()).as("deliveries sharing a key keep their order")
                                .isLessThan(later.position());
                    }
                }
            }
        }
    }

    /** A delivery holding some keys exclusively and others shared. */
    private record Reader(int position, Set<String> exclusive, Set<String> shared) {
    }

    @Test
    void deliveries_that_only_share_a_key_share_a_round_and_one_that_holds_it_exclusively_goes_apart() {
        Reader m1 = new Reader(0, Set.of("record:m1"), Set.of("organization:x"));
        Reader m2 = new Reader(1, Set.of("record:m2"), Set.of("organization:x"));
        Reader deletion = new Reader(2, Set.of("record:x", "organization:x"), Set.of());
        Reader m3 = new Reader(3, Set.of("record:m3"), Set.of("organization:x"));

        assertThat(DecisionRounds.of(List.of(m1, m2, deletion, m3), Reader::exclusive, Reader::shared))
                .containsExactly(List.of(m1, m2), List.of(deletion), List.of(m3));
    }

    /** Over random batches: a key held exclusively is in a round alone, and keeps its order against every holder. */
    @Test
    void an_exclusive_holder_keeps_its_order_against_every_other_holder_of_its_key() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<Reader> batch = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(64); i++) {
                Set<String> exclusive = random.ints(random.nextInt(2), 0, 8).mapToObj(k -> "key:" + k).collect(Collectors.toSet());
                Set<String> shared = random.ints(random.nextInt(3), 0, 8).mapToObj(k -> "key:" + k)
                        .filter(k -> !exclusive.contains(k)).collect(Collectors.toSet());
                batch.add(new Reader(i, exclusive, shared));
            }
            List<List<Reader>> rounds = DecisionRounds.of(batch, Reader::exclusive, Reader::shared);

            assertThat(rounds.stream().mapToInt(List::size).sum()).isEqualTo(batch.size());
            List<Integer> roundOf = new ArrayList<>(java.util.Collections.nCopies(batch.size(), -1));
            for (int r = 0; r < rounds.size(); r++) {
                for (Reader reader : rounds.get(r)) {
                    roundOf.set(reader.position(), r);
                }
            }
            for (Reader earlier : batch) {
                for (Reader later : batch) {
                    if (earlier.position() >= later.position()) {
                        continue;
                    }
                    boolean conflict = earlier.exclusive().stream().anyMatch(k -> later.exclusive().contains(k) || later.shared().contains(k))
                            || later.exclusive().stream().anyMatch(earlier.shared()::contains);
                    if (conflict) {
                        assertThat(roundOf.get(earlier.position())).as("conflicting deliveries keep their order")
                                .isLessThan(roundOf.get(later.position()));
                    }
                }
            }
        }
    }
}
