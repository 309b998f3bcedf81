package dev.meridian.testkit.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Prometheus text exposition format (0.0.4) read as strictly as {@code promtool check metrics} and Telegraf do:
 * {@link #problems} lists every line such a parser would refuse, so a service's IT fails where a scraper would.
 *
 * <p>Checked: metric and label names; in HELP only {@code \\} and {@code \n} are escapes, in label values also
 * {@code \"}; label values quoted and closed; one HELP and one TYPE per family, TYPE before its samples and of a
 * known kind; sample values Go floats ({@code NaN}, {@code +Inf}, {@code -Inf} included); optional integer
 * timestamps; a family's samples together; counters, histograms and summaries only with their own suffixes.
 */
public final class StrictExposition {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]Inf");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private StrictExposition() {
    }

    /** Every refused line as {@code line N: why}; empty when the page parses. */
    public static List<String> problems(String page) {
        List<String> problems = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        String[] lines = page.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String family = comment(line, where, types, helped, problems);
                if (family != null && !family.equals(currentFamily)) {
                    if (closedFamilies.contains(family)) {
                        problems.add(where + "metadata of " + family + " after its samples were closed");
                    }
                    if (currentFamily != null) {
                        closedFamilies.add(currentFamily);
                    }
                    currentFamily = family;
                }
                continue;
            }
            String name = sample(line, where, problems);
            if (name == null) {
                continue;
            }
            String family = familyOf(name, types);
            if (!family.equals(currentFamily)) {
                if (closedFamilies.contains(family)) {
                    problems.add(where + "samples of " + family + " are not together");
                }
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
            String type = types.get(family);
            if (type != null && !suffixAllowed(type, name.substring(family.length()))) {
                problems.add(where + type + " " + family + " has a sample named " + name);
            }
        }
        if (!page.isEmpty() && !page.endsWith("\n")) {
            problems.add("the page does not end with a line feed");
        }
        return problems;
    }

    private static String comment(String line, String where, Map<String, String> types, Set<String> helped,
            List<String> problems) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return null; // a plain comment
        }
        String family = parts[2];
        if (!METRIC_NAME.matcher(family).matches()) {
            problems.add(where + "bad metric name " + family);
            return null;
        }
        String rest = parts.length == 4 ? parts[3] : "";
        if (parts[1].equals("HELP")) {
            if (!helped.add(family)) {
                problems.add(where + "second HELP for " + family);
            }
            checkEscapes(rest, false, where + "HELP of " + family, problems);
        } else {
            if (types.containsKey(family)) {
                problems.add(where + "second TYPE for " + family);
            }
            if (!TYPES.contains(rest)) {
                problems.add(where + "unknown TYPE " + rest + " for " + family);
            }
            types.put(family, rest);
        }
        return family;
    }

    /** The sample's metric name, or null when the line was refused. */
    private static String sample(String line, String where, List<String> problems) {
        int nameEnd = 0;
        while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
            nameEnd++;
        }
        String name = line.substring(0, nameEnd);
        if (!METRIC_NAME.matcher(name).matches()) {
            problems.add(where + "bad metric name " + name);
            return null;
        }
        int pos = nameEnd;
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, where, problems);
            if (pos < 0) {
                return null;
            }
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            problems.add(where + "no value after " + name);
            return null;
        }
        String[] valueAndTime = line.substring(pos + 1).split(" ", -1);
        if (valueAndTime.length > 2 || !FLOAT.matcher(valueAndTime[0]).matches()) {
            problems.add(where + "bad value " + line.substring(pos + 1));
        } else if (valueAndTime.length == 2 && !TIMESTAMP.matcher(valueAndTime[1]).matches()) {
            problems.add(where + "bad timestamp " + valueAndTime[1]);
        }
        return name;
    }

    /** Reads {@code name="value",...}; the position after the closing brace, or -1 when refused. */
    private static int labels(String line, int pos, String where, List<String> problems) {
        Set<String> seen = new HashSet<>();
        while (pos < line.length() && line.charAt(pos) != '}') {
            int eq = line.indexOf('=', pos);
            if (eq < 0) {
                problems.add(where + "label without a value");
                return -1;
            }
            String label = line.substring(pos, eq);
            if (!LABEL_NAME.matcher(label).matches()) {
                problems.add(where + "bad label name " + label);
            } else if (!seen.add(label)) {
                problems.add(where + "label " + label + " twice");
            }
            if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                problems.add(where + "unquoted value of label " + label);
                return -1;
            }
            int end = closingQuote(line, eq + 2);
            if (end < 0) {
                problems.add(where + "unterminated value of label " + label);
                return -1;
            }
            checkEscapes(line.substring(eq + 2, end), true, where + "label " + label, problems);
            pos = end + 1;
            if (pos < line.length() && line.charAt(pos) == ',') {
                pos++;
            }
        }
        if (pos >= line.length()) {
            problems.add(where + "labels not closed");
            return -1;
        }
        return pos + 1;
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static void checkEscapes(String text, boolean labelValue, String what, List<String> problems) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '\\') {
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            boolean allowed = next == '\\' || next == 'n' || (labelValue && next == '"');
            if (!allowed) {
                problems.add(what + " has the escape \\" + (next == 0 ? "" : String.valueOf(next))
                        + ", which the format does not define there");
            }
            i++;
        }
    }

    /** The family a sample belongs to: its own name, or the declared family whose suffix it carries. */
    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (name.endsWith(suffix)) {
                String family = name.substring(0, name.length() - suffix.length());
                if (types.containsKey(family)) {
                    return family;
                }
            }
        }
        return name;
    }

    private static boolean suffixAllowed(String type, String suffix) {
        return switch (type) {
            case "histogram" -> Set.of("_bucket", "_count", "_sum", "_created").contains(suffix);
            case "summary" -> Set.of("", "_count", "_sum", "_created").contains(suffix);
            case "counter" -> Set.of("", "_total", "_created").contains(suffix);
            default -> suffix.isEmpty();
        };
    }
}
