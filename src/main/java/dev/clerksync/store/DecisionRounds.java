package dev.clerksync.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A batch of deliveries in rounds, for deciding each round's deliveries of one action in one
 * statement (PostgreSQL's, {@link RelationalDecider}). Two deliveries that share a key (a record, an
 * owner, a svix-id) are never in one round, and keep their arrival order across rounds; deliveries
 * that share none touch disjoint rows, so their order does not matter. Deciding the rounds one after
 * the other therefore comes out exactly as deciding the batch one delivery after the other.
 */
final class DecisionRounds {

    private DecisionRounds() {
    }

    /** Each delivery goes into the round after the last one that holds any of its keys (or the first). */
    static <T> List<List<T>> of(List<T> batch, Function<T, Collection<String>> keys) {
        List<List<T>> rounds = new ArrayList<>();
        Map<String, Integer> lastRoundOfKey = new HashMap<>();
        for (T delivery : batch) {
            Collection<String> itsKeys = keys.apply(delivery);
            int round = 0;
            for (String key : itsKeys) {
                Integer last = lastRoundOfKey.get(key);
                if (last != null) {
                    round = Math.max(round, last + 1);
                }
            }
            for (String key : itsKeys) {
                lastRoundOfKey.put(key, round);
            }
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(delivery);
        }
        return rounds;
    }
}
