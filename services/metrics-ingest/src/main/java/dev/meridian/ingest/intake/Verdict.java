package dev.meridian.ingest.intake;

import dev.meridian.contracts.validation.ContractViolationException;
import dev.meridian.contracts.validation.Violation;
import java.util.List;

/** The outcome of validating one item: the value, or the first rule it broke. */
public sealed interface Verdict<T> permits Verdict.Accepted, Verdict.Rejected {

    record Accepted<T>(T value) implements Verdict<T> {
    }

    /**
     * @param field  JSON path of the offending value, {@code $} for the whole document
     * @param rule   stable rule name ({@code json}, {@code type}, {@code range}, {@code clock skew}...)
     * @param reason sentence for humans naming the field and the value
     */
    record Rejected<T>(String field, String rule, String reason) implements Verdict<T> {

        public static <T> Rejected<T> of(Violation violation) {
            return new Rejected<>(violation.field(), violation.rule(), violation.message());
        }

        public static <T> Rejected<T> of(ContractViolationException e) {
            return of(e.violations().get(0));
        }

        public static <T> Rejected<T> first(List<Violation> violations) {
            return of(violations.get(0));
        }

        /** The same rejection for another value type, e.g. a raw record whose derived sample failed. */
        public <U> Rejected<U> as() {
            return new Rejected<>(field, rule, reason);
        }
    }
}
