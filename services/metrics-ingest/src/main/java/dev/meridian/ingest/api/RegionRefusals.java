package dev.meridian.ingest.api;

import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.service.security.AccessAudit;
import dev.meridian.service.security.Caller;
import jakarta.enterprise.context.RequestScoped;

/**
 * The permit of one request at an ingest door, and the refusal it reports afterwards: items of a region the token
 * does not name go to the DLQ one by one, and to the audit of that region once per request with their count.
 */
@RequestScoped
public class RegionRefusals {

    private final Caller caller;
    private final AccessAudit audit;

    RegionRefusals(Caller caller, AccessAudit audit) {
        this.caller = caller;
        this.audit = audit;
    }

    /** A permit for the caller's regions. */
    public RegionPermit permit() {
        return RegionPermit.of(caller.regionLimit());
    }

    /** Reports what {@code permit} refused at {@code door}, one refusal per region. */
    public void report(RegionPermit permit, String door) {
        permit.refused().forEach((region, items) -> audit.refused(caller.name(), region, door,
                RegionPermit.RULE + ": " + items + (items == 1 ? " item" : " items")));
    }
}
