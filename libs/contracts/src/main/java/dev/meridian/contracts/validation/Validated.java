package dev.meridian.contracts.validation;

import java.util.List;

/**
 * A contract value that can tell what is wrong with it. Records do not throw from their constructors:
 * ingest wants every violation of a rejected sample (for the DLQ), policy tests want to build odd values,
 * and some rules (clock skew) need a clock the record does not have.
 */
public interface Validated {

    /** Every broken rule, in component order; empty when the value is valid. */
    List<Violation> violations();

    /**
     * Returns {@code value} if it is valid.
     *
     * @throws ContractViolationException listing every violation otherwise
     */
    static <T extends Validated> T requireValid(T value) {
        List<Violation> violations = value.violations();
        if (!violations.isEmpty()) {
            throw new ContractViolationException(violations);
        }
        return value;
    }
}
