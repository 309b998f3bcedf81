package dev.meridian.ingest.api;

import dev.meridian.ingest.intake.IntakeException;

/** The configured body-size limit, checked before any parsing. */
final class Bodies {

    private Bodies() {
    }

    static byte[] limited(byte[] body, long maxBytes) {
        if (body == null) {
            return new byte[0];
        }
        if (body.length > maxBytes) {
            throw new IntakeException(IntakeException.Kind.TOO_LARGE,
                    "the body has " + body.length + " bytes, more than the " + maxBytes + " allowed");
        }
        return body;
    }
}
