package dev.meridian.service.problem;

/**
 * A request parameter the service cannot answer: every service maps it to the same 400 problem,
 * {@link Problem#INVALID_PARAMETER}, naming the parameter ({@link Problem#of(InvalidParameterException,
 * jakarta.ws.rs.core.UriInfo)}).
 */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
