package dev.meridian.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM's CPU between two {@link Snapshot}s, split by thread group, with GC and JIT time beside it.
 *
 * <p>Per-thread CPU is sampled over all live threads at both ends: a thread that starts in between counts with all
 * its CPU, one that ends in between is missing from its group with what it used since the first snapshot (the process
 * total still holds it). Compiler and GC threads are not Java threads: they show in the process total, beside the JIT
 * and GC times.
 *
 * @param wallNanos    elapsed time
 * @param processNanos CPU of the whole JVM
 * @param threadNanos  CPU by thread group
 * @param gcMillis     sum of the collectors' collection times (pauses and concurrent phases as each reports them)
 * @param jitMillis    time the JIT compilers spent compiling
 */
record CpuUsage(long wallNanos, long processNanos, Map<CpuUsage.Group, Long> threadNanos, long gcMillis,
        long jitMillis) {

    /** Client ids and thread names of the benchmark's own clients and threads carry this, so none is misfiled. */
    static final String BENCH_MARK = "wtbench-";
    /** Name of the plain consumer's thread. */
    static final String PLAIN_THREAD = BENCH_MARK + "plain-consumer";

    enum Group {
        /** Kafka Streams' stream threads: the topology's processing, its consumer and state stores. */
        STREAM,
        /** The stream threads' producers' I/O threads (sends, transactions). */
        PRODUCER_IO,
        /** The plain consumer's one thread: fetching, parsing, validating, folding. */
        PLAIN,
        /** Everything else: the in-process broker, and small change (Streams' admin client and state updater). */
        BROKER,
        /** The benchmark's own main thread and clients: not part of either contender, not reported. */
        BENCH;

        static Group of(String threadName) {
            if (threadName.contains("-StreamThread-")) {
                return threadName.startsWith("kafka-producer-network-thread") ? PRODUCER_IO : STREAM;
            }
            if (threadName.startsWith(PLAIN_THREAD)) {
                return PLAIN;
            }
            return threadName.equals("main") || threadName.contains(BENCH_MARK) ? BENCH : BROKER;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static Snapshot snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids, 0);
        long[] cpu = THREADS.getThreadCpuTime(ids);
        Map<Long, ThreadCpu> threads = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            // null or -1: the thread ended between the calls
            if (infos[i] != null && cpu[i] >= 0) {
                threads.put(ids[i], new ThreadCpu(infos[i].getThreadName(), cpu[i]));
            }
        }
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), threads, gc,
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    double seconds() {
        return wallNanos / 1e9;
    }

    /** Share of the JVM's CPU the JIT compilers took: the warm-up goes on until this is small. */
    double jitShare() {
        return processNanos == 0 ? 0 : jitMillis * 1e6 / processNanos;
    }

    /** µs of CPU per sample of a group. */
    double micros(Group group, long samples) {
        return threadNanos.getOrDefault(group, 0L) / 1e3 / samples;
    }

    double gcMicros(long samples) {
        return gcMillis * 1e3 / samples;
    }

    double jitMicros(long samples) {
        return jitMillis * 1e3 / samples;
    }

    double processMicros(long samples) {
        return processNanos / 1e3 / samples;
    }

    private record ThreadCpu(String name, long nanos) {
    }

    /** The measures at one instant. */
    record Snapshot(long nanoTime, long processNanos, Map<Long, ThreadCpu> threads, long gcMillis, long jitMillis) {

        /** From {@code start} to this snapshot. */
        CpuUsage since(Snapshot start) {
            Map<Group, Long> byGroup = new EnumMap<>(Group.class);
            threads.forEach((id, now) -> {
                ThreadCpu before = start.threads.get(id);
                long used = now.nanos - (before == null ? 0 : before.nanos);
                byGroup.merge(Group.of(now.name), used, Long::sum);
            });
            return new CpuUsage(nanoTime - start.nanoTime, processNanos - start.processNanos, byGroup,
                    gcMillis - start.gcMillis, jitMillis - start.jitMillis);
        }
    }
}
