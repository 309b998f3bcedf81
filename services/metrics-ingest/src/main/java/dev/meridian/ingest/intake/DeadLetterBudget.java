package dev.meridian.ingest.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The DLQ records of one request at an HTTP door: one per rejected item, at most {@code max} of them
 * ({@code meridian.ingest.http.max-dead-letters-per-request}), so a request of thousands of bad items cannot fan out
 * into as many records. The items beyond it are still counted and answered by the door; they are not dead-lettered
 * one by one, and {@link #finish()} writes one summary record instead: value
 * {@code {"door", "deadLettered", "notDeadLettered", "firstNotDeadLettered", "rules": {rule: count}}} (the first
 * item left out: its index in the request, for remote_write its position among the request's rejected samples), rule
 * {@value #RULE}, field {@code $}, key null. Not thread-safe: one request, one thread.
 */
public final class DeadLetterBudget {

    /** The rule of the summary record of the items that were not dead-lettered. */
    public static final String RULE = "dead-letter-cap";

    private final IntakePublisher publisher;
    private final Door door;
    private final int max;
    private final List<CompletableFuture<?>> acks;
    private final Map<String, Integer> withheldRules = new TreeMap<>();
    private int written;
    private int withheld;
    private int firstWithheld = -1;

    /** {@code acks}: where the futures of the records written go, for the door to await with the rest. */
    public DeadLetterBudget(IntakePublisher publisher, Door door, int max, List<CompletableFuture<?>> acks) {
        this.publisher = publisher;
        this.door = door;
        this.max = max;
        this.acks = acks;
    }

    /**
     * Dead-letters one rejected item ({@code index}: its position in the request, for the summary), or only counts it
     * once {@code max} records are written.
     */
    public void deadLetter(int index, String key, byte[] value, Verdict.Rejected<?> rejected) {
        if (written < max) {
            written++;
            acks.add(Acks.failFast(publisher.deadLetter(key, value, rejected, door)));
        } else {
            if (withheld++ == 0) {
                firstWithheld = index;
            }
            withheldRules.merge(rejected.rule(), 1, Integer::sum);
        }
    }

    /** Writes the summary record if any item was not dead-lettered. */
    public void finish() {
        if (withheld == 0) {
            return;
        }
        ObjectNode summary = ContractJson.mapper().createObjectNode();
        summary.put("door", door.tag());
        summary.put("deadLettered", written);
        summary.put("notDeadLettered", withheld);
        summary.put("firstNotDeadLettered", firstWithheld);
        ObjectNode rules = summary.putObject("rules");
        withheldRules.forEach(rules::put);
        Verdict.Rejected<?> cap = new Verdict.Rejected<>("$", RULE, withheld + " more rejected items of this request "
                + "were counted but not dead-lettered: at most " + max + " DLQ records per request "
                + "(meridian.ingest.http.max-dead-letters-per-request)");
        byte[] value = summary.toString().getBytes(StandardCharsets.UTF_8);
        acks.add(Acks.failFast(publisher.deadLetter(null, value, cap, door)));
    }

    /** How many items were counted but not dead-lettered. */
    public int withheld() {
        return withheld;
    }
}
