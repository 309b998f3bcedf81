package dev.meridian.audit.api;

/** No entry with the id asked for (or none the caller may know exists). */
public class EntryNotFoundException extends RuntimeException {

    public EntryNotFoundException(String id) {
        super("no audit entry " + id);
    }
}
