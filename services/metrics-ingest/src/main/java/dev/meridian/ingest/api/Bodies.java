package dev.meridian.ingest.api;

import dev.meridian.ingest.intake.IntakeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The configured body-size limit ({@code meridian.ingest.http.max-body-size}), checked before any parsing. A body
 * with a Content-Length above it never gets here ({@link BodyLimit} refuses it before anything is read); a chunked
 * one is read here up to one byte past the limit and refused then, so no more than the limit is ever held.
 */
final class Bodies {

    private Bodies() {
    }

    /**
     * The whole body, at most {@code maxBytes}.
     *
     * @throws IntakeException TOO_LARGE above {@code maxBytes}, UNPARSEABLE when the body cannot be read to its end
     */
    static byte[] read(InputStream body, long maxBytes) {
        if (body == null) {
            return new byte[0];
        }
        // Not closed: Quarkus' request stream would read the rest of a refused body to its end on close. Read in
        // buffers rather than with readNBytes, which asks for 0 bytes once it has all it wants, and Quarkus' stream
        // then waits for more of a body that may never end.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                if (bytes.size() + (long) n > maxBytes) {
                    throw new IntakeException(IntakeException.Kind.TOO_LARGE, "the body has more than " + maxBytes
                            + " bytes, the most allowed (meridian.ingest.http.max-body-size)");
                }
                bytes.write(buffer, 0, n);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IntakeException(IntakeException.Kind.UNPARSEABLE, "the body could not be read: " + e.getMessage(),
                    e);
        }
    }
}
