package dev.meridian.audit.api;

import dev.meridian.audit.chain.DigestSigner;
import dev.meridian.auditproof.DigestKeys;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public keys of the digest signatures, with their validity periods: open to anyone, like an identity provider's
 * JWKS — they reveal no region's data, and an outsider who checks an export must be able to fetch them.
 */
@Path("/v1/audit/keys")
@Tag(name = "audit")
public class KeysResource {

    private final DigestSigner signer;

    KeysResource(DigestSigner signer) {
        this.signer = signer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "Digest public keys (Ed25519, X.509 base64) with validity periods; no token needed")
    public DigestKeys.Document keys() {
        return signer.keys().document();
    }
}
