package dev.meridian.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** application.properties files: keys with their profile prefix, and the ${NAME} environment references. */
final class Properties {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::[^}]*)?}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    private Properties() {
    }

    /** Keys as written ({@code %prod.quarkus.datasource.jdbc.url}) with their values, in file order. */
    static Map<String, String> read(Path file) {
        java.util.Properties raw = new java.util.Properties() {
            private final Map<String, String> ordered = new LinkedHashMap<>();

            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put(key.toString(), value.toString());
                return super.put(key, value);
            }

            @Override
            public String toString() {
                return ordered.toString();
            }
        };
        try {
            raw.load(new StringReader(Repo.read(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        raw.stringPropertyNames().forEach(k -> keys.put(k, raw.getProperty(k)));
        return keys;
    }

    /** The key without its profile: {@code %prod.a.b} → {@code a.b}. */
    static String withoutProfile(String key) {
        return key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
    }

    /** Keys of a service's own application.properties in any profile. */
    static Set<String> keysInAnyProfile(Path file) {
        Set<String> keys = new TreeSet<>();
        read(file).keySet().forEach(k -> keys.add(withoutProfile(k)));
        return keys;
    }

    /** Environment variables (upper-case ${NAME}) a set of values refers to. */
    static Set<String> environmentReferences(Map<String, String> properties) {
        Set<String> names = new TreeSet<>();
        for (String value : properties.values()) {
            Matcher m = REFERENCE.matcher(value);
            while (m.find()) {
                if (ENV_NAME.matcher(m.group(1)).matches()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
