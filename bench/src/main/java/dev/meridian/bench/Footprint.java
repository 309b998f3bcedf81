package dev.meridian.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap in use and resident set size of this JVM, printed beside throughput figures. */
final class Footprint {

    private Footprint() {
    }

    static String now() {
        long heapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        return "heap used " + heapMiB + " MiB, RSS " + rssMiB() + " MiB";
    }

    private static String rssMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.toString(Long.parseLong(line.replaceAll("\\D+", "")) >> 10))
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
