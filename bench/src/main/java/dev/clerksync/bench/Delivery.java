package dev.clerksync.bench;

/**
 * One event as Svix delivers it: its svix-id and the exact bytes that are signed and sent. For
 * user events, {@code effect} is what it asks the stores to hold for {@code subjectUserId}.
 *
 * @param ordinal the delivery's index among the stream's distinct deliveries
 */
record Delivery(int ordinal, String svixId, String type, byte[] body, String subjectUserId, ExpectedUser effect) {
}
