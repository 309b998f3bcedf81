package dev.meridian.cost.api;

/** A query parameter the API cannot answer: 400 problem+json naming the parameter. */
public class BadQueryException extends RuntimeException {

    private final String parameter;

    public BadQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
