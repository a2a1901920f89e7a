package dev.clerksync.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A batch of deliveries in rounds, for deciding or writing each round's deliveries together
 * (the relational decider's statements on PostgreSQL, the document store writer's bulk writes).
 * A delivery holds keys (a record, an owner, a svix-id) either exclusively — it changes what the key
 * names — or shared — it only reads it (a membership reads whether its organization is deleted).
 * Two deliveries of which one holds a key exclusively and the other holds it at all are never in one
 * round, and keep their arrival order across rounds; any other two touch disjoint rows, or only read
 * the same ones, so their order does not matter. Deciding the rounds one after the other therefore
 * comes out exactly as deciding the batch one delivery after the other — and the 20,000 memberships
 * of one organization, which only share it, share a round.
 */
public final class DecisionRounds {

    private DecisionRounds() {
    }

    /**
     * Each delivery goes into the round after the last one that conflicts with it (or the first):
     * one that holds any of its exclusive keys, or holds one of its shared keys exclusively.
     */
    public static <T> List<List<T>> of(List<T> batch, Function<T, Collection<String>> exclusiveKeys,
                                Function<T, Collection<String>> sharedKeys) {
        List<List<T>> rounds = new ArrayList<>();
        Map<String, Integer> lastExclusive = new HashMap<>();
        Map<String, Integer> lastShared = new HashMap<>();
        for (T delivery : batch) {
            Collection<String> exclusive = exclusiveKeys.apply(delivery);
            Collection<String> shared = sharedKeys.apply(delivery);
            int round = 0;
            for (String key : exclusive) {
                round = Math.max(round, after(lastExclusive, key));
                round = Math.max(round, after(lastShared, key));
            }
            for (String key : shared) {
                round = Math.max(round, after(lastExclusive, key));
            }
            for (String key : exclusive) {
                lastExclusive.put(key, round);
            }
            for (String key : shared) {
                lastShared.merge(key, round, Math::max);
            }
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(delivery);
        }
        return rounds;
    }

    private static int after(Map<String, Integer> lastRoundOfKey, String key) {
        Integer last = lastRoundOfKey.get(key);
        return last == null ? 0 : last + 1;
    }
}
