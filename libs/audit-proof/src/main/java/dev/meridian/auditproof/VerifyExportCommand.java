package dev.meridian.auditproof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./meridian audit verify --export audit.ndjson --keys keys.json}: the offline verifier as a command. Exit 0
 * when the export verifies, 1 when it does not (the first bad entry is named), 2 on a usage or read error.
 */
public final class VerifyExportCommand {

    private static final String USAGE = "usage: ./meridian audit verify --export <audit.ndjson> --keys <keys.json>"
            + "\n  --export  an NDJSON export (GET /v1/audit/export?format=ndjson)"
            + "\n  --keys    the digest public keys (GET /v1/audit/keys)";

    private VerifyExportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path export = null;
        Path keys = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--export") || arg.equals("--keys")) && i + 1 < args.length) {
                Path value = Path.of(args[++i]);
                if (arg.equals("--export")) {
                    export = value;
                } else {
                    keys = value;
                }
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else {
                err.println("unknown argument: " + arg);
                err.println(USAGE);
                return 2;
            }
        }
        if (export == null || keys == null) {
            err.println(USAGE);
            return 2;
        }
        ExportVerifier.Report report;
        try (BufferedReader reader = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            report = new ExportVerifier(DigestKeys.read(Files.readAllBytes(keys))).verify(reader);
        } catch (IOException | RuntimeException e) {
            err.println("cannot verify: " + e.getMessage());
            return 2;
        }
        String counts = report.entries() + " entries, " + report.links() + " links (outside the filters), "
                + report.digests() + " signed digests, " + report.merkleHeads() + " Merkle heads recomputed, "
                + report.placeholders() + " quarantined placeholders";
        if (report.ok()) {
            out.println("ok: " + counts);
            return 0;
        }
        ExportVerifier.Bad bad = report.bad().orElseThrow();
        out.println("FAILED: " + (bad.region() == null ? "" : bad.region() + " #" + bad.sequence()
                + (bad.id() == null ? "" : " (" + bad.id() + ")") + ": ") + bad.reason());
        out.println("read before it: " + counts);
        return 1;
    }
}
