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

        assertThat(DecisionRounds.of(batch, Delivery::keys)).containsExactly(batch);
    }

    @Test
    void a_delivery_goes_one_round_after_the_last_that_holds_any_of_its_keys() {
        Delivery a1 = new Delivery(0, Set.of("user:a"));
        Delivery b1 = new Delivery(1, Set.of("user:b"));
        Delivery a2 = new Delivery(2, Set.of("user:a"));
        Delivery ab = new Delivery(3, Set.of("user:b", "user:a"));
        Delivery c1 = new Delivery(4, Set.of("user:c"));

        assertThat(DecisionRounds.of(List.of(a1, b1, a2, ab, c1), Delivery::keys))
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
            List<List<Delivery>> rounds = DecisionRounds.of(batch, Delivery::keys);

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
}
