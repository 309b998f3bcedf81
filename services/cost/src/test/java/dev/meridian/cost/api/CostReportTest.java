package dev.meridian.cost.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.policy.cost.CostLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostReportTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static CostLine line(String region, String hour, Map<String, String> tags, String amount, long seconds) {
        return new CostLine(region, Instant.parse(hour), tags, "USD", new BigDecimal(amount), seconds);
    }

    @Test
    void mergesSpendIdleAndSavingsPerPeriodAndGroupAndWritesRfc4180Csv() {
        CostQuery query = CostQuery.parse("2026-11-02", "2026-11-04", "team", "1d", Set.of(),
                Instant.parse("2026-11-27T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"), UTC);
        Map<String, String> search = Map.of("team", "search, core");
        List<CostLine> spend = List.of(
                line("us-east", "2026-11-02T10:00:00Z", search, "1.250000000", 3600),
                line("eu-west", "2026-11-02T23:00:00Z", search, "0.750000000", 1800),
                line("us-east", "2026-11-03T00:00:00Z", Map.of(), "2.000000000", 3600));
        List<CostLine> idle = List.of(line("us-east", "2026-11-02T10:00:00Z", search, "0.100000000", 300));
        List<CostLine> savings = List.of(line("us-east", "2026-11-03T00:00:00Z", Map.of(), "0.500000000", 0));

        CostReport report = CostReport.of(query, UTC, spend, idle, savings);

        // 2 Nov, team "search, core": 1.25 + 0.75 = 2.00 over 5,400 s, idle 0.10; 3 Nov, no team tag: 2.00, saved 0.50
        assertThat(report.rows()).hasSize(2);
        CostReport.Row first = report.rows().get(0);
        assertThat(first.period()).isEqualTo("2026-11-02");
        assertThat(first.group()).containsEntry("team", "search, core");
        assertThat(first.cost()).isEqualByComparingTo("2.00");
        assertThat(first.nodeSeconds()).isEqualTo(5400);
        assertThat(first.idleCost()).isEqualByComparingTo("0.10");
        CostReport.Row second = report.rows().get(1);
        assertThat(second.group()).containsEntry("team", "__unallocated__");
        assertThat(second.spotSavings()).isEqualByComparingTo("0.50");
        assertThat(report.totals()).containsEntry("USD", "4.000000000");

        assertThat(report.toCsv().split("\r\n")).containsExactly(
                "periodStart,period,team,currency,cost,nodeSeconds,idleCost,spotSavings",
                "2026-11-02T00:00:00Z,2026-11-02,\"search, core\",USD,2.000000000,5400,0.100000000,0",
                "2026-11-03T00:00:00Z,2026-11-03,__unallocated__,USD,2.000000000,3600,0,0.500000000");
        assertThat(CostReport.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @Test
    void aTextCellASpreadsheetWouldRunIsDefusedANumberIsNot() {
        assertThat(CostReport.text("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(List.of("+1", "-2", "@SUM(A1)", "\tx", "\rx").stream().map(CostReport::text))
                .containsExactly("'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx");
        assertThat(CostReport.text("search")).isEqualTo("search");
        assertThat(CostReport.field(CostReport.text("=1,2"))).isEqualTo("\"'=1,2\"");
    }
}
