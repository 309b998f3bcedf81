package dev.meridian.service.security;

import jakarta.ws.rs.ForbiddenException;

/** A request naming a region the caller's token does not: 403, and a refusal reported in that region's audit. */
public class RegionRefusedException extends ForbiddenException {

    private final String region;

    public RegionRefusedException(String caller, String region) {
        super(caller + " may not use region " + region);
        this.region = region;
    }

    public String region() {
        return region;
    }
}
