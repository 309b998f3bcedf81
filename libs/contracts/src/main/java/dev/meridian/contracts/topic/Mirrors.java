package dev.meridian.contracts.topic;

import java.util.regex.Pattern;

/**
 * How a topic's copies in other regions are named: MirrorMaker 2's default replication policy prefixes the source
 * cluster's alias, {@code <alias>.<topic>}, and a copy of a copy gains another alias. Every reader that takes "our
 * topic or any mirror of it" matches through here.
 */
public final class Mirrors {

    /** Zero or more {@code <alias>.} prefixes; aliases are cluster names. */
    private static final String ALIASES = "(?:[A-Za-z0-9_-]+\\.)*";

    private Mirrors() {
    }

    /** {@code topic} itself or any mirror of it, for pattern subscriptions. */
    public static Pattern ofTopic(String topic) {
        return Pattern.compile(ALIASES + Pattern.quote(topic));
    }

    /** The regular expression of every topic starting with {@code prefix}, local or mirrored (unanchored group). */
    public static String ofPrefix(String prefix) {
        return ALIASES + Pattern.quote(prefix);
    }

    /** True when {@code name} is {@code topic} or a mirror of it. */
    public static boolean isTopicOrMirror(String name, String topic) {
        return ofTopic(topic).matcher(name).matches();
    }

    /** True when {@code name} is a mirror of {@code topic}, not the topic itself. */
    public static boolean isMirror(String name, String topic) {
        return !name.equals(topic) && isTopicOrMirror(name, topic);
    }
}
