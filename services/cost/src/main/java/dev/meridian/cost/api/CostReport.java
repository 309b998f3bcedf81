package dev.meridian.cost.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.meridian.policy.cost.CostLine;
import dev.meridian.policy.cost.RollupRow;
import dev.meridian.policy.cost.SpendRollup;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The allocation answer: per period and group, spend with its node time, idle cost and spot savings.
 *
 * @param totals cost per currency over every row, exact decimals as strings (as every amount of Meridian)
 */
public record CostReport(Instant from, Instant to, String step, List<String> groupBy, List<Row> rows,
        Map<String, String> totals) {

    /**
     * @param idleCost    cost of node windows below the idle threshold (home regions only: windows are not mirrored)
     * @param spotSavings on-demand minus spot price over the spot time (home regions only)
     */
    public record Row(Instant periodStart, String period, Map<String, String> group, String currency,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal cost, long nodeSeconds,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal idleCost,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spotSavings) {
    }

    public static CostReport of(CostQuery query, ZoneId zone, Collection<CostLine> spend, Collection<CostLine> idle,
            Collection<CostLine> savings) {
        record Key(Instant periodStart, Map<String, String> group, String currency) {
        }
        Map<Key, Row> rows = new LinkedHashMap<>();
        for (RollupRow r : SpendRollup.rollup(spend, query.step(), zone, query.groupBy())) {
            rows.put(new Key(r.periodStart(), r.group(), r.currency()), new Row(r.periodStart(), r.period(), r.group(),
                    r.currency(), r.amount(), r.nodeSeconds(), BigDecimal.ZERO, BigDecimal.ZERO));
        }
        for (RollupRow r : SpendRollup.rollup(idle, query.step(), zone, query.groupBy())) {
            rows.compute(new Key(r.periodStart(), r.group(), r.currency()), (k, row) -> row == null
                    ? new Row(r.periodStart(), r.period(), r.group(), r.currency(), BigDecimal.ZERO, 0, r.amount(),
                            BigDecimal.ZERO)
                    : new Row(row.periodStart(), row.period(), row.group(), row.currency(), row.cost(),
                            row.nodeSeconds(), row.idleCost().add(r.amount()), row.spotSavings()));
        }
        for (RollupRow r : SpendRollup.rollup(savings, query.step(), zone, query.groupBy())) {
            rows.compute(new Key(r.periodStart(), r.group(), r.currency()), (k, row) -> row == null
                    ? new Row(r.periodStart(), r.period(), r.group(), r.currency(), BigDecimal.ZERO, 0, BigDecimal.ZERO,
                            r.amount())
                    : new Row(row.periodStart(), row.period(), row.group(), row.currency(), row.cost(),
                            row.nodeSeconds(), row.idleCost(), row.spotSavings().add(r.amount())));
        }
        List<Row> ordered = new ArrayList<>(rows.values());
        ordered.sort(java.util.Comparator.comparing(Row::periodStart).thenComparing(r -> r.group().toString())
                .thenComparing(Row::currency));
        Map<String, BigDecimal> sums = new TreeMap<>();
        ordered.forEach(r -> sums.merge(r.currency(), r.cost(), BigDecimal::add));
        Map<String, String> totals = new TreeMap<>();
        sums.forEach((currency, sum) -> totals.put(currency, sum.toPlainString()));
        return new CostReport(query.from(), query.to(), query.stepLabel(), query.groupBy(), ordered, totals);
    }

    /**
     * RFC 4180 CSV, one line per row: {@code periodStart,period,<groupBy keys…>,currency,cost,nodeSeconds,idleCost,
     * spotSavings}. Hand-written rather than a library: the output is write-only with a fixed column set, and the
     * rules that matter (quote a field holding a comma, quote or line break; double its quotes; defuse a text cell a
     * spreadsheet would run as a formula) are a few lines.
     */
    public String toCsv() {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("periodStart", "period"));
        header.addAll(groupBy);
        header.addAll(List.of("currency", "cost", "nodeSeconds", "idleCost", "spotSavings"));
        line(out, header);
        for (Row row : rows) {
            List<String> fields = new ArrayList<>(List.of(row.periodStart().toString(), text(row.period())));
            groupBy.forEach(key -> fields.add(text(row.group().get(key))));
            fields.addAll(List.of(row.currency(), row.cost().toPlainString(), Long.toString(row.nodeSeconds()),
                    row.idleCost().toPlainString(), row.spotSavings().toPlainString()));
            line(out, fields);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * A text cell (tag values come from the registry, written by people) starting with {@code = + - @}, tab or
     * carriage return, prefixed with {@code '} so a spreadsheet shows it instead of running it (OWASP CSV injection).
     * Numbers are left alone: a negative amount must stay a number.
     */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula ? "'" + value : value;
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
