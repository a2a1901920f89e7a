package dev.clerksync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What stays the same across one Clerk user's events: ids, addresses, names and metadata. Each
 * {@link UserVersion} adds what an update changes.
 */
record UserProfile(
        String id,
        long createdAt,
        String lastName,
        String username,
        List<EmailAddress> emailAddresses,
        String plan,
        String role,
        List<String> teams,
        String locale,
        String theme,
        String googleAccountId) {

    record EmailAddress(String id, String address, String strategy) {
    }

    private static final String[] LAST_NAMES = {"Lovelace", "Hopper", "García", "Müller", "Okafor", "Nakamura",
        "Kowalski", "Skywalker", "Johansson", "Dubois", "Singh", "O'Brien"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "corp.example.net", "example.io"};
    private static final String[] PLANS = {"free", "starter", "pro", "enterprise"};
    private static final String[] ROLES = {"member", "admin", "owner", "billing"};
    private static final String[] TEAMS = {"platform", "growth", "design", "data", "support", "sales", "security"};
    private static final String[] LOCALES = {"en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "pt-BR"};
    private static final String[] STRATEGIES = {"email_code", "from_oauth_google", "email_link", "admin"};

    static UserProfile random(ClerkIds ids, long createdAt, SplittableRandom random) {
        String lastName = pick(LAST_NAMES, random);
        String username = lastName.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "") + random.nextInt(100_000);
        int addresses = 1 + random.nextInt(3);
        List<EmailAddress> emails = new ArrayList<>(addresses);
        for (int i = 0; i < addresses; i++) {
            emails.add(new EmailAddress(ids.next("idn"), username + "." + i + "@" + pick(DOMAINS, random),
                    pick(STRATEGIES, random)));
        }
        List<String> teams = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            teams.add(pick(TEAMS, random));
        }
        String google = random.nextInt(3) == 0 ? ids.next("eac") : null;
        return new UserProfile(ids.next("user"), createdAt, lastName, username, List.copyOf(emails),
                pick(PLANS, random), pick(ROLES, random), List.copyOf(teams), pick(LOCALES, random),
                random.nextBoolean() ? "dark" : "light", google);
    }

    private static String pick(String[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}
