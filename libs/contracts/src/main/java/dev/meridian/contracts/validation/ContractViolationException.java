package dev.meridian.contracts.validation;

import java.util.List;

/**
 * A value broke its contract. Extends {@link IllegalArgumentException} because that is what it is to a
 * caller; carries every violation found, so a DLQ record or a 400 response can list them all.
 */
public class ContractViolationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public ContractViolationException(List<Violation> violations) {
        this(violations, null);
    }

    public ContractViolationException(List<Violation> violations, Throwable cause) {
        super(firstMessage(violations), cause);
        this.violations = List.copyOf(violations);
    }

    public ContractViolationException(Violation violation) {
        this(List.of(violation));
    }

    public ContractViolationException(Violation violation, Throwable cause) {
        this(List.of(violation), cause);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** The first violation's field: the one DLQ headers and log lines name. */
    public String field() {
        return violations.get(0).field();
    }

    /** The first violation's rule. */
    public String rule() {
        return violations.get(0).rule();
    }

    private static String firstMessage(List<Violation> violations) {
        if (violations == null || violations.isEmpty()) {
            throw new IllegalArgumentException("a contract violation needs at least one violation");
        }
        return violations.get(0).message();
    }
}
