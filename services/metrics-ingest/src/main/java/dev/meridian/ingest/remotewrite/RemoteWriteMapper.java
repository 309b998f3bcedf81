package dev.meridian.ingest.remotewrite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.NodeRef;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.contracts.json.ContractJson;
import dev.meridian.contracts.metrics.LatencyProbe;
import dev.meridian.contracts.validation.Checks;
import dev.meridian.contracts.validation.Violation;
import dev.meridian.ingest.intake.RegionPermit;
import dev.meridian.ingest.intake.Verdict;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.GpuReading;
import dev.meridian.ingest.remotewrite.NodeSeriesSample.NodeCounters;
import dev.meridian.ingest.remotewrite.WriteRequestDecoder.Sample;
import dev.meridian.ingest.remotewrite.WriteRequestDecoder.TimeSeries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the series of one WriteRequest into per-node readings, latency probes and rejected samples. Pure: no
 * Kafka, no clock; rates are not computed here (see {@link NodeSeriesSample}). A sample whose region (a node's region
 * label, a probe's source region) the sender's {@link RegionPermit} does not cover is rejected
 * ({@value RegionPermit#RULE}).
 *
 * <p>A node's identity comes from its labels as {@link LabelScheme} names them; what no label gives is derived from
 * the node's series in the same request: the instance type from DCGM's GPU model, the tier from whether DCGM series
 * (or a GPU node label) are there, the capacity type from the configured default.
 *
 * <p>Assumes a node's series of one scrape arrive in one request, which holds with one remote_write shard
 * ({@code queue_config.max_shards: 1}) and batches larger than a scrape; a scrape split across requests is
 * rejected as incomplete rather than turned into wrong rates.
 */
public final class RemoteWriteMapper {

    public static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
    public static final String GPU_ENGINE_ACTIVE = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
    public static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    public static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
    public static final String CPU_SECONDS = "node_cpu_seconds_total";
    public static final String NET_RX = "node_network_receive_bytes_total";
    public static final String NET_TX = "node_network_transmit_bytes_total";
    public static final String MEM_AVAILABLE = "node_memory_MemAvailable_bytes";
    public static final String MEM_TOTAL = "node_memory_MemTotal_bytes";
    public static final String PROBE_DURATION = "probe_duration_seconds";

    /** DCGM reports a blank or corrupt field as uint32 max; it is never a real reading. */
    public static final double DCGM_CORRUPT = 4294967295d;
    /** Prometheus marks a series that disappeared with this exact NaN; it is not a sample. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private static final String NAME = "__name__";
    private static final String MODE = "mode";
    private static final String DEVICE = "device";

    private final LabelScheme labels;

    public RemoteWriteMapper(LabelScheme labels) {
        this.labels = labels;
    }

    /** A sample (or incomplete group) that goes to the DLQ instead. */
    public record BadSample(String nodeId, byte[] document, Verdict.Rejected<?> rejected) {
    }

    /** What one request maps to; {@code ignored} counts samples of series ingest does not use. */
    public record Mapping(List<NodeSeriesSample> nodes, List<LatencyProbe> probes, List<BadSample> rejects,
            int ignored) {
    }

    private enum Kind {
        GPU_UTIL, GPU_ENGINE, FB_USED, FB_FREE, CPU, NET_RX, NET_TX, MEM_AVAILABLE, MEM_TOTAL, PROBE;

        boolean dcgm() {
            return this == GPU_UTIL || this == GPU_ENGINE || this == FB_USED || this == FB_FREE;
        }

        static Kind of(String name) {
            if (name == null) {
                return null;
            }
            return switch (name) {
                case RemoteWriteMapper.GPU_UTIL -> GPU_UTIL;
                case GPU_ENGINE_ACTIVE -> GPU_ENGINE;
                case RemoteWriteMapper.FB_USED -> FB_USED;
                case RemoteWriteMapper.FB_FREE -> FB_FREE;
                case CPU_SECONDS -> CPU;
                case RemoteWriteMapper.NET_RX -> NET_RX;
                case RemoteWriteMapper.NET_TX -> NET_TX;
                case RemoteWriteMapper.MEM_AVAILABLE -> MEM_AVAILABLE;
                case RemoteWriteMapper.MEM_TOTAL -> MEM_TOTAL;
                case PROBE_DURATION -> PROBE;
                default -> null;
            };
        }
    }

    public Mapping map(List<TimeSeries> request, RegionPermit permit) {
        Map<String, NodeHints> hints = hints(request);
        Map<String, NodeAcc> nodes = new LinkedHashMap<>();
        List<LatencyProbe> probes = new ArrayList<>();
        List<BadSample> rejects = new ArrayList<>();
        int ignored = 0;
        for (TimeSeries series : request) {
            Kind kind = Kind.of(series.name());
            if (kind == null) {
                ignored += series.samples().size();
                continue;
            }
            Object identity = kind == Kind.PROBE ? null : identity(series, hints);
            for (Sample sample : series.samples()) {
                if (Double.doubleToRawLongBits(sample.value()) == STALE_NAN_BITS) {
                    continue;
                }
                if (kind == Kind.PROBE) {
                    probe(series, sample, permit, probes, rejects);
                    continue;
                }
                if (identity instanceof Violation violation) {
                    rejects.add(bad(null, series, sample, violation));
                    continue;
                }
                Identified identified = (Identified) identity;
                NodeRef node = identified.node();
                if (!permit.permits(node.region())) {
                    rejects.add(bad(node.nodeId(), series, sample, permit.violation(identified.regionLabel(),
                            node.region())));
                    continue;
                }
                Violation invalid = checkValue(kind, series, sample);
                if (invalid != null) {
                    rejects.add(bad(node.nodeId(), series, sample, invalid));
                    continue;
                }
                String gpu = series.labels().get(labels.gpu());
                if (kind.dcgm() && (gpu == null || gpu.isBlank())) {
                    rejects.add(bad(node.nodeId(), series, sample, missingLabel(series, labels.gpu())));
                    continue;
                }
                nodes.computeIfAbsent(node.nodeId(), id -> new NodeAcc(node)).add(kind, series, gpu, sample);
            }
        }
        List<NodeSeriesSample> samples = new ArrayList<>();
        for (NodeAcc node : nodes.values()) {
            node.finish(samples, rejects);
        }
        return new Mapping(List.copyOf(samples), List.copyOf(probes), List.copyOf(rejects), ignored);
    }

    private void probe(TimeSeries series, Sample sample, RegionPermit permit, List<LatencyProbe> probes,
            List<BadSample> rejects) {
        String from = series.labels().get(labels.probeSource());
        String to = series.labels().get(labels.probeTarget());
        Violation violation = from == null ? missingLabel(series, labels.probeSource())
                : to == null ? missingLabel(series, labels.probeTarget())
                : !permit.permits(from) ? permit.violation(labels.probeSource(), from) : null;
        if (violation == null) {
            LatencyProbe probe = new LatencyProbe(from, to, sample.value() * 1000,
                    Instant.ofEpochMilli(sample.timestampMillis()), labels.probeSourceName());
            List<Violation> violations = probe.violations();
            if (violations.isEmpty()) {
                probes.add(probe);
                return;
            }
            violation = violations.get(0);
        }
        rejects.add(bad(null, series, sample, violation));
    }

    /** A node's identity, and which label named its region (the field of a region refusal). */
    private record Identified(NodeRef node, String regionLabel) {
    }

    /** What a node's series in one request tell about it beyond their own labels. */
    private static final class NodeHints {
        boolean gpu;
        String model;
    }

    /** A node with no DCGM series and no GPU node label in the request (never written to). */
    private static final NodeHints NO_HINTS = new NodeHints();

    /** One pass over the node series of the request: which nodes have GPUs, and their DCGM GPU model. */
    private Map<String, NodeHints> hints(List<TimeSeries> request) {
        Map<String, NodeHints> hints = new HashMap<>();
        for (TimeSeries series : request) {
            Kind kind = Kind.of(series.name());
            if (kind == null || kind == Kind.PROBE) {
                continue;
            }
            Map<String, String> l = series.labels();
            LabelScheme.Found node = LabelScheme.first(labels.nodeLabels(), l);
            if (node == null) {
                continue;
            }
            boolean gpu = kind.dcgm() || labels.marksGpuNode(l);
            String model = kind.dcgm() ? l.get(labels.gpuModel()) : null;
            if (gpu || model != null) {
                NodeHints hint = hints.computeIfAbsent(node.value(), n -> new NodeHints());
                hint.gpu |= gpu;
                if (hint.model == null && model != null && !model.isBlank()) {
                    hint.model = model.trim();
                }
            }
        }
        return hints;
    }

    /** The node's identity from the series' labels, or the first label that is missing or invalid. */
    private Object identity(TimeSeries series, Map<String, NodeHints> hints) {
        Map<String, String> l = series.labels();
        LabelScheme.Found nodeId = LabelScheme.first(labels.nodeLabels(), l);
        if (nodeId == null) {
            return missing(series, "node", labels.nodeLabels());
        }
        LabelScheme.Found region = LabelScheme.first(labels.regionLabels(), l);
        LabelScheme.Found zone = LabelScheme.first(labels.zoneLabels(), l);
        LabelScheme.Found pool = LabelScheme.first(labels.poolLabels(), l);
        if (region == null) {
            return missing(series, "region", labels.regionLabels());
        }
        if (zone == null) {
            return missing(series, "zone", labels.zoneLabels());
        }
        if (pool == null) {
            return missing(series, "pool", labels.poolLabels());
        }
        NodeHints hint = hints.getOrDefault(nodeId.value(), NO_HINTS);
        LabelScheme.Found tierLabel = LabelScheme.first(labels.tierLabels(), l);
        Tier tier = tierLabel == null ? (hint.gpu ? Tier.CORE_GPU : Tier.EDGE_CPU)
                : LabelScheme.enumOf(Tier.class, tierLabel.value());
        if (tier == null) {
            return notOneOf(tierLabel, Tier.values());
        }
        LabelScheme.Found capacityLabel = LabelScheme.first(labels.capacityTypeLabels(), l);
        CapacityType capacity = capacityLabel == null ? labels.defaultCapacityType()
                : LabelScheme.enumOf(CapacityType.class, capacityLabel.value());
        if (capacity == null) {
            return notOneOf(capacityLabel, CapacityType.values());
        }
        LabelScheme.Found instanceTypeLabel = LabelScheme.first(labels.instanceTypeLabels(), l);
        String instanceType = instanceTypeLabel != null ? instanceTypeLabel.value()
                : hint.model != null ? hint.model : labels.defaultInstanceType();
        return new Identified(new NodeRef(nodeId.value(), region.value(), zone.value(), pool.value(), tier,
                instanceType, capacity), region.name());
    }

    /** Field: the candidate names joined by {@code |}, like the node labels. */
    private static Violation missing(TimeSeries series, String what, List<String> candidates) {
        String field = String.join("|", candidates);
        return new Violation(field, Checks.REQUIRED, candidates.size() == 1
                ? series.name() + " has no " + field + " label"
                : series.name() + " has none of the " + what + " labels " + candidates);
    }

    private static Violation notOneOf(LabelScheme.Found label, Enum<?>[] values) {
        return new Violation(label.name(), ContractJson.RULE_ENUM, label.name() + " must be one of "
                + Arrays.toString(values) + ", was \"" + label.value() + "\"");
    }

    private static Violation checkValue(Kind kind, TimeSeries series, Sample sample) {
        String field = series.name();
        double value = sample.value();
        if (!Double.isFinite(value)) {
            return new Violation(field, Checks.FINITE, field + " must be finite, was " + Checks.format(value));
        }
        if (value < 0) {
            return new Violation(field, Checks.NEGATIVE, field + " must not be negative, was " + Checks.format(value));
        }
        if (kind.dcgm() && value >= DCGM_CORRUPT) {
            return new Violation(field, Checks.RANGE, field + " is " + Checks.format(value)
                    + ", DCGM's value for a blank or corrupt field");
        }
        if (kind == Kind.GPU_UTIL && value > 100) {
            return new Violation(field, Checks.RANGE, field + " must be within 0..100, was " + Checks.format(value));
        }
        if (kind == Kind.GPU_ENGINE && value > 1) {
            return new Violation(field, Checks.RANGE, field + " must be within 0..1, was " + Checks.format(value));
        }
        return null;
    }

    private static Violation missingLabel(TimeSeries series, String label) {
        return new Violation(label, Checks.REQUIRED, series.name() + " has no " + label + " label");
    }

    private static BadSample bad(String nodeId, TimeSeries series, Sample sample, Violation violation) {
        ObjectNode doc = ContractJson.mapper().createObjectNode();
        ObjectNode l = doc.putObject("labels");
        series.labels().forEach(l::put);
        // A string, because the offending value may be NaN or Infinity, which JSON cannot hold as a number.
        doc.put("value", Checks.format(sample.value()));
        doc.put("timestamp", Instant.ofEpochMilli(sample.timestampMillis()).toString());
        return new BadSample(nodeId, bytes(doc), Verdict.Rejected.of(violation));
    }

    private static byte[] bytes(ObjectNode doc) {
        try {
            return ContractJson.mapper().writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latest value of each DCGM field of one GPU within the request. */
    private static final class GpuAcc {
        final Map<Kind, Sample> latest = new LinkedHashMap<>();
        Map<String, String> labels;

        void add(Kind kind, Map<String, String> seriesLabels, Sample sample) {
            Sample previous = latest.get(kind);
            if (previous == null || sample.timestampMillis() >= previous.timestampMillis()) {
                latest.put(kind, sample);
            }
            labels = seriesLabels;
        }
    }

    /** The node_exporter values of one scrape (one timestamp). */
    private static final class ScrapeAcc {
        double cpuTotal;
        double cpuIdle;
        double rx;
        double tx;
        boolean cpuSeen;
        boolean idleSeen;
        boolean rxSeen;
        boolean txSeen;
        Double memAvailable;
        Double memTotal;
    }

    private final class NodeAcc {
        final NodeRef id;
        final Map<String, GpuAcc> gpus = new TreeMap<>();
        final TreeMap<Long, ScrapeAcc> scrapes = new TreeMap<>();

        NodeAcc(NodeRef id) {
            this.id = id;
        }

        void add(Kind kind, TimeSeries series, String gpu, Sample sample) {
            if (kind.dcgm()) {
                gpus.computeIfAbsent(gpu, g -> new GpuAcc()).add(kind, series.labels(), sample);
                return;
            }
            ScrapeAcc scrape = scrapes.computeIfAbsent(sample.timestampMillis(), t -> new ScrapeAcc());
            double value = sample.value();
            switch (kind) {
                case CPU -> {
                    String mode = series.labels().getOrDefault(MODE, "");
                    if (!mode.equals("guest") && !mode.equals("guest_nice")) {
                        scrape.cpuTotal += value;
                        scrape.cpuSeen = true;
                    }
                    if (mode.equals("idle")) {
                        scrape.cpuIdle += value;
                        scrape.idleSeen = true;
                    }
                }
                case NET_RX, NET_TX -> {
                    String device = series.labels().getOrDefault(DEVICE, "");
                    boolean counted = !labels.excludedDevices().matcher(device).matches();
                    if (kind == Kind.NET_RX) {
                        scrape.rxSeen = true;
                        scrape.rx += counted ? value : 0;
                    } else {
                        scrape.txSeen = true;
                        scrape.tx += counted ? value : 0;
                    }
                }
                case MEM_AVAILABLE -> scrape.memAvailable = value;
                case MEM_TOTAL -> scrape.memTotal = value;
                default -> throw new IllegalStateException(kind.name());
            }
        }

        void finish(List<NodeSeriesSample> out, List<BadSample> rejects) {
            List<GpuReading> readings = new ArrayList<>();
            for (Map.Entry<String, GpuAcc> entry : gpus.entrySet()) {
                GpuAcc gpu = entry.getValue();
                Sample engine = gpu.latest.get(Kind.GPU_ENGINE);
                Sample util = engine != null ? engine : gpu.latest.get(Kind.GPU_UTIL);
                Sample used = gpu.latest.get(Kind.FB_USED);
                Sample free = gpu.latest.get(Kind.FB_FREE);
                String missing = util == null ? GPU_UTIL : used == null ? FB_USED : free == null ? FB_FREE : null;
                if (missing != null) {
                    rejects.add(incomplete(gpu.labels, latestOf(gpu), missing));
                    continue;
                }
                readings.add(new GpuReading(entry.getKey(), Instant.ofEpochMilli(latestOf(gpu)),
                        engine != null ? engine.value() * 100 : util.value(), Math.round(used.value()),
                        Math.round(free.value())));
            }
            List<NodeSeriesSample> samples = new ArrayList<>();
            for (Map.Entry<Long, ScrapeAcc> entry : scrapes.entrySet()) {
                ScrapeAcc s = entry.getValue();
                String missing = !s.cpuSeen ? CPU_SECONDS
                        : !s.idleSeen ? CPU_SECONDS + "{mode=\"idle\"}"
                        : !s.rxSeen ? NET_RX
                        : !s.txSeen ? NET_TX
                        : s.memAvailable == null ? MEM_AVAILABLE
                        : s.memTotal == null ? MEM_TOTAL : null;
                if (missing != null) {
                    rejects.add(incomplete(null, entry.getKey(), missing));
                    continue;
                }
                samples.add(sample(Instant.ofEpochMilli(entry.getKey()), new NodeCounters(s.cpuTotal, s.cpuIdle, s.rx,
                        s.tx, s.memAvailable, s.memTotal), samples.isEmpty() ? readings : List.of()));
            }
            if (samples.isEmpty() && !readings.isEmpty()) {
                Instant latest = readings.stream().map(GpuReading::timestamp).max(Instant::compareTo).orElseThrow();
                samples.add(sample(latest, null, readings));
            }
            for (NodeSeriesSample sample : samples) {
                List<Violation> violations = sample.violations();
                if (violations.isEmpty()) {
                    out.add(sample);
                } else {
                    rejects.add(new BadSample(id.nodeId(), bytes(ContractJson.mapper().valueToTree(sample)),
                            Verdict.Rejected.first(violations)));
                }
            }
        }

        private NodeSeriesSample sample(Instant timestamp, NodeCounters counters, List<GpuReading> readings) {
            return new NodeSeriesSample(id, timestamp, counters, readings);
        }

        private long latestOf(GpuAcc gpu) {
            return gpu.latest.values().stream().mapToLong(Sample::timestampMillis).max().orElse(0);
        }

        private BadSample incomplete(Map<String, String> seriesLabels, long timestamp, String missing) {
            ObjectNode doc = ContractJson.mapper().createObjectNode();
            doc.put("nodeId", id.nodeId());
            if (seriesLabels != null) {
                ObjectNode l = doc.putObject("labels");
                seriesLabels.forEach(l::put);
            }
            doc.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
            doc.put("missing", missing);
            return new BadSample(id.nodeId(), bytes(doc), new Verdict.Rejected<>(missing, Checks.REQUIRED,
                    "node " + id.nodeId() + " sent no " + missing + " in this request"));
        }
    }
}
