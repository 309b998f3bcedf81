package dev.meridian.audit.store;

import dev.meridian.audit.crypto.DataKey;
import dev.meridian.audit.crypto.DataKeys;
import dev.meridian.audit.crypto.KeyEncryptionKeyException;
import dev.meridian.audit.crypto.KeyEncryptionKeys;
import dev.meridian.audit.crypto.PayloadSealer;
import dev.meridian.audit.crypto.SealBrokenException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Envelope encryption of the stored payloads: each record's payload is sealed (AES-256-GCM, {@link PayloadSealer}) with
 * a data key, bound to its row by id, region and sequence; data keys live in {@code audit.data_keys} only wrapped by the
 * current key-encryption key of {@link KeyEncryptionKeys}, which stays outside the database (a mounted Secret, a KMS).
 *
 * <p>The writer takes a new data key each UTC day and after {@value #MAX_SEALS_PER_KEY} seals, whichever is first:
 * nonces are random, and a key must seal far fewer than 2^32 payloads. The key's row is committed on its own before any
 * entry names it, so a rolled-back batch never leaves an entry whose key is missing. Readers unwrap a key once and keep
 * it. {@link #rewrap()} moves every data key under the current KEK without touching an entry.
 *
 * <p>Digests stay in clear (Merkle roots and counts are what a verifier needs without keys), as do entries stored
 * before sealing began.
 */
public final class PayloadVault {

    /** Far below the 2^32 seals per key that random 96-bit nonces allow (collision odds ~2^-43 at this count). */
    static final long MAX_SEALS_PER_KEY = 1L << 27;
    static final String DATA_KEYS = AuditSchema.SCHEMA + ".data_keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads digests only, which are never sealed: a sealed payload it meets is reported broken, not opened. */
    static final PayloadVault NO_KEYS = new PayloadVault(null, null, Clock.systemUTC());

    private final DataSource dataSource;
    private final KeyEncryptionKeys keys;
    private final Clock clock;
    private final PayloadSealer sealer = new PayloadSealer();
    private final Map<String, DataKey> unwrapped = new ConcurrentHashMap<>();
    private WriteKey writeKey;

    /** A sealed payload and the data key it needs. */
    record Sealed(byte[] bytes, String keyId) {
    }

    private record WriteKey(DataKey key, LocalDate day, long[] seals) {
    }

    /**
     * @param keys the key-encryption keys; null stores payloads in clear (benchmarks measuring what sealing costs)
     */
    public PayloadVault(DataSource dataSource, KeyEncryptionKeys keys, Clock clock) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.clock = clock;
    }

    /** Whether the writer seals new records. */
    public boolean seals() {
        return keys != null;
    }

    /** The sealed form of a record's payload, or null when it stays in clear (a digest, or no keys). */
    Sealed seal(LogEntry entry) throws SQLException {
        if (keys == null || !"RECORD".equals(entry.kind())) {
            return null;
        }
        DataKey key = keyForWriting();
        byte[] sealed = sealer.seal(key, entry.payloadJson().getBytes(StandardCharsets.UTF_8),
                PayloadSealer.associatedData(entry.id(), entry.region(), entry.sequence()));
        return new Sealed(sealed, key.id());
    }

    /**
     * The payload sealed for the row {@code id}, {@code region}, {@code sequence}. A data key not yet unwrapped is read
     * over {@code connection}, the reader's own: a reader holding a pool's last connection must not wait for another.
     *
     * @throws BrokenSeal when it does not authenticate: the ciphertext, its nonce, the row's place or the key changed
     */
    byte[] open(Connection connection, String id, String region, long sequence, byte[] sealed, String keyId)
            throws SQLException {
        DataKey key = unwrapped.get(keyId);
        if (key == null) {
            key = load(connection, keyId, id, sequence);
        }
        try {
            return sealer.open(key, sealed, PayloadSealer.associatedData(id, region, sequence));
        } catch (SealBrokenException e) {
            throw new BrokenSeal(id, sequence, "sealed payload does not authenticate (ciphertext, nonce, place or key "
                    + "changed)", e);
        }
    }

    /**
     * Wraps every data key not yet under the current key-encryption key with it; returns how many. Entries are not
     * touched: after a rotation this runs once (the service does at start), and the old KEK can be retired when it
     * returns.
     */
    public int rewrap() throws SQLException {
        if (keys == null) {
            return 0;
        }
        String current = keys.currentKeyId();
        int rewrapped = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, kek_id, wrapped FROM " + DATA_KEYS + " WHERE kek_id <> ?");
                    PreparedStatement update = connection.prepareStatement("UPDATE " + DATA_KEYS
                            + " SET kek_id = ?, wrapped = ?, rewrapped_at = now() WHERE id = ? AND kek_id = ?")) {
                select.setString(1, current);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        byte[] rewrappedKey = keys.rewrap(rs.getString(2), rs.getBytes(3), current, wrapContext(id));
                        update.setString(1, current);
                        update.setBytes(2, rewrappedKey);
                        update.setString(3, id);
                        update.setString(4, rs.getString(2));
                        rewrapped += update.executeUpdate();
                    }
                }
            }
        }
        return rewrapped;
    }

    private synchronized DataKey keyForWriting() throws SQLException {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (writeKey == null || !writeKey.day().equals(today) || writeKey.seals()[0] >= MAX_SEALS_PER_KEY) {
            writeKey = new WriteKey(create(today), today, new long[1]);
        }
        writeKey.seals()[0]++;
        return writeKey.key();
    }

    private DataKey create(LocalDate day) throws SQLException {
        byte[] suffix = new byte[6];
        RANDOM.nextBytes(suffix);
        DataKey key = DataKeys.generate("dk-" + day + "-" + HexFormat.of().formatHex(suffix));
        String kek = keys.currentKeyId();
        byte[] wrapped = keys.wrap(kek, key.key(), wrapContext(key.id()));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + DATA_KEYS + " (id, kek_id, wrapped) VALUES (?, ?, ?)")) {
                insert.setString(1, key.id());
                insert.setString(2, kek);
                insert.setBytes(3, wrapped);
                insert.executeUpdate();
            }
        }
        unwrapped.put(key.id(), key);
        return key;
    }

    private DataKey load(Connection connection, String keyId, String rowId, long sequence) throws SQLException {
        if (keys == null) {
            throw new BrokenSeal(rowId, sequence, "payload is sealed with " + keyId + " and this instance has no keys");
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kek_id, wrapped FROM " + DATA_KEYS + " WHERE id = ?")) {
            select.setString(1, keyId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new BrokenSeal(rowId, sequence, "payload names data key " + keyId + ", which is missing");
                }
                DataKey key;
                try {
                    key = new DataKey(keyId, keys.unwrap(rs.getString(1), rs.getBytes(2), wrapContext(keyId)));
                } catch (KeyEncryptionKeyException e) {
                    if (e.reason() == KeyEncryptionKeyException.Reason.UNAVAILABLE) {
                        throw new SQLException("the key provider is unavailable: " + e.getMessage(), e);
                    }
                    throw new BrokenSeal(rowId, sequence, "data key " + keyId + " cannot be unwrapped: "
                            + e.getMessage(), e);
                }
                unwrapped.put(keyId, key);
                return key;
            }
        }
    }

    /** A wrapped data key is bound to its id: swapping two rows of data_keys does not go unnoticed. */
    private static byte[] wrapContext(String dataKeyId) {
        return ("meridian.audit.data-key:" + dataKeyId).getBytes(StandardCharsets.UTF_8);
    }
}
