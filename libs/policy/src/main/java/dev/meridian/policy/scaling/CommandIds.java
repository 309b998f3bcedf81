package dev.meridian.policy.scaling;

import dev.meridian.contracts.scaling.ScaleAction;
import dev.meridian.contracts.validation.Checks;
import java.util.UUID;

/**
 * Deterministic command ids: the same trigger gives the same id on every replica and after every restart, so
 * downstream (audit, actuator) can drop redeliveries by id. Readable {@code region/pool/ACTION/qualifier}, e.g.
 * {@code us-east/gpu-core/SCALE_OUT/2026-11-27T10:00:30Z}; the qualifier is the triggering window end, or
 * {@code nodeId/noticeAt} for an interruption. A key longer than an id may be becomes a name-based UUID of it.
 */
public final class CommandIds {

    private CommandIds() {
    }

    public static String of(String region, String pool, ScaleAction action, String qualifier) {
        String key = region + "/" + pool + "/" + action + "/" + qualifier;
        return key.length() <= Checks.MAX_ID_LENGTH ? key : UUID.nameUUIDFromBytes(utf16(key)).toString();
    }

    /** Charset-free (java.nio is off limits here) and fixed: UTF-16BE code units. */
    private static byte[] utf16(String text) {
        byte[] bytes = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes[2 * i] = (byte) (c >> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return bytes;
    }
}
