package dev.clerksync.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What requests in the measured window got: latencies, HTTP statuses, the outcomes of the 200s
 * and why failed requests failed. One per worker, so that recording needs no locking.
 */
final class Tally {

    final Latencies latencies = new Latencies();
    final Map<Integer, Long> statuses = new TreeMap<>();
    final Map<String, Long> outcomes = new TreeMap<>();
    final Map<String, Long> failures = new TreeMap<>();

    void record(long nanos, WebhookSender.Answer answer) {
        latencies.add(nanos);
        statuses.merge(answer.status(), 1L, Long::sum);
        if (answer.status() == 200) {
            outcomes.merge(answer.outcome(), 1L, Long::sum);
        } else if (answer.status() == 0) {
            failures.merge(answer.outcome(), 1L, Long::sum);
        }
    }

    void add(Tally other) {
        latencies.addAll(other.latencies);
        other.statuses.forEach((status, n) -> statuses.merge(status, n, Long::sum));
        other.outcomes.forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
        other.failures.forEach((failure, n) -> failures.merge(failure, n, Long::sum));
    }

    long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }

    /** Requests answered with a status outside 2xx, by status; 0 stands for no answer at all. */
    Map<Integer, Long> non2xx() {
        Map<Integer, Long> result = new TreeMap<>(statuses);
        result.keySet().removeIf(status -> status >= 200 && status < 300);
        return result;
    }
}
