package dev.meridian.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * The property names a service's {@code @ConfigMapping} interfaces accept, found by reflection the way SmallRye Config
 * names them: methods in kebab case ({@code homeRegions} → {@code home-regions}), nested interfaces as groups, a
 * {@code Map} as one segment of any name ({@code *}), {@code @WithName} and {@code @WithParentName} honoured.
 */
final class ConfigMappings {

    private ConfigMappings() {
    }

    /** Name patterns of every mapping in the package, segments separated by '.', '*' matching any one segment. */
    static List<String> patterns(String rootPackage) {
        List<String> patterns = new ArrayList<>();
        for (Class<?> type : classesIn(rootPackage)) {
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                collect(type, mapping.prefix(), patterns);
            }
        }
        return patterns;
    }

    private static void collect(Class<?> group, String prefix, List<String> out) {
        for (Method m : group.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.isAnnotationPresent(WithParentName.class) ? prefix
                    : join(prefix, m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value()
                            : kebab(m.getName()));
            collectType(m.getGenericReturnType(), name, out);
        }
    }

    private static void collectType(Type type, String name, List<String> out) {
        Class<?> raw = raw(type);
        if (type instanceof ParameterizedType p && Map.class.isAssignableFrom(raw)) {
            collectType(p.getActualTypeArguments()[1], name + ".*", out);
        } else if (type instanceof ParameterizedType p && (raw == Optional.class
                || Collection.class.isAssignableFrom(raw)) && isGroup(raw(p.getActualTypeArguments()[0]))) {
            collect(raw(p.getActualTypeArguments()[0]), name, out);
        } else if (isGroup(raw)) {
            collect(raw, name, out);
        } else {
            out.add(name);
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.") && type != OptionalInt.class
                && type != OptionalLong.class && type != OptionalDouble.class;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether a property key fits a pattern; a quoted segment ({@code "us-east/gpu-core"}) counts as one. */
    static boolean matches(String pattern, String key) {
        List<String> want = List.of(pattern.split("\\."));
        List<String> have = segments(key);
        if (want.size() != have.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            if (!want.get(i).equals("*") && !want.get(i).equals(have.get(i))) {
                return false;
            }
        }
        return true;
    }

    static List<String> segments(String key) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : key.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == '.' && !quoted) {
                segments.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        segments.add(current.toString());
        return segments;
    }

    private static List<Class<?>> classesIn(String rootPackage) {
        List<Class<?>> classes = new ArrayList<>();
        String path = rootPackage.replace('.', '/');
        ClassLoader loader = ConfigMappings.class.getClassLoader();
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                for (String name : classNames(root, path)) {
                    classes.add(Class.forName(name, false, loader));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no classes of " + rootPackage + " on the test class path");
        }
        return classes;
    }

    private static List<String> classNames(URL root, String path) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if (root.getProtocol().equals("jar")) {
            try (JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith(path + "/") && entry.endsWith(".class")) {
                        names.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
                    }
                }
            }
        } else {
            Path dir = Path.of(root.toURI());
            Path base = dir;
            for (int i = 0; i < path.split("/").length; i++) {
                base = base.getParent();
            }
            Path classesRoot = base;
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                    String rel = classesRoot.relativize(f).toString();
                    names.add(rel.substring(0, rel.length() - 6).replace('/', '.').replace('\\', '.'));
                });
            }
        }
        return names;
    }
}
