package dev.clerksync.bench;

import java.util.HashMap;
import java.util.Map;

/** The model: what every user the run touched must end as, whatever order the deliveries arrived in. */
final class ExpectedState {

    private final Map<String, ExpectedUser> users = new HashMap<>();

    void apply(Delivery delivery) {
        if (delivery.subjectUserId() != null) {
            users.merge(delivery.subjectUserId(), delivery.effect(), ExpectedUser::winner);
        }
    }

    Map<String, ExpectedUser> users() {
        return users;
    }
}
