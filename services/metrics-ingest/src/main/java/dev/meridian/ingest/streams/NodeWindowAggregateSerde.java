package dev.meridian.ingest.streams;

import dev.meridian.contracts.fleet.CapacityType;
import dev.meridian.contracts.fleet.Tier;
import dev.meridian.policy.window.NodeWindowAggregate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of an open window for its changelog, written once per commit for every window a sample changed and
 * read back on restore; JSON cost several times more. Only non-empty aggregates are ever stored.
 */
final class NodeWindowAggregateSerde {

    private static final byte VERSION = 1;

    private NodeWindowAggregateSerde() {
    }

    static Serde<NodeWindowAggregate> create() {
        Serializer<NodeWindowAggregate> serializer = (topic, a) -> a == null ? null : write(a);
        Deserializer<NodeWindowAggregate> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] write(NodeWindowAggregate a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(a.nodeId());
            out.writeUTF(a.region());
            out.writeUTF(a.zone());
            out.writeUTF(a.pool());
            out.writeByte(a.tier().ordinal());
            out.writeUTF(a.instanceType());
            out.writeByte(a.capacityType().ordinal());
            out.writeInt(a.sampleCount());
            out.writeDouble(a.gpuSum());
            out.writeDouble(a.gpuMax());
            out.writeDouble(a.gpuMemPeakPct());
            out.writeDouble(a.cpuSum());
            out.writeDouble(a.memSum());
            out.writeDouble(a.netRxSum());
            out.writeDouble(a.netTxSum());
            out.writeDouble(a.queueDepthSum());
            out.writeInt(a.queueDepthCount());
            out.writeDouble(a.kvCacheSum());
            out.writeInt(a.kvCacheCount());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static NodeWindowAggregate read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown window aggregate format " + version);
            }
            return new NodeWindowAggregate(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    Tier.values()[in.readByte()], in.readUTF(), CapacityType.values()[in.readByte()], in.readInt(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(), in.readDouble(), in.readInt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
