package dev.clerksync.verify;

/** A delivery refused with a 4xx; the routes map it to its status and fixed public message. */
public final class RejectedDeliveryException extends Exception {

    private final RejectionReason reason;

    public RejectedDeliveryException(RejectionReason reason) {
        super(reason.name());
        this.reason = reason;
    }

    public RejectedDeliveryException(RejectionReason reason, Throwable cause) {
        super(reason.name(), cause);
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Rejections are routine (forged or malformed requests): a stack trace would only cost time.
        return this;
    }
}
