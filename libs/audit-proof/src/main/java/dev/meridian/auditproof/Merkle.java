package dev.meridian.auditproof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0) §2.1 defines them: a leaf hashes as SHA-256(0x00 ‖ data),
 * a node as SHA-256(0x01 ‖ left ‖ right), a tree of n leaves splits at the largest power of two below n. The leaves of
 * an audit digest are its records' chain hashes (32 bytes each), in sequence order.
 *
 * <p>Besides the whole-list functions there is a frontier: the roots of the perfect subtrees a tree of n leaves
 * decomposes into (one per set bit of n, largest first), which is all an appender needs to keep — O(log n) — to add a
 * leaf and to compute the root.
 */
public final class Merkle {

    private static final HexFormat HEX = HexFormat.of();

    private Merkle() {
    }

    /** SHA-256(0x00 ‖ data). */
    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(data);
        return sha.digest();
    }

    /** The leaf of an audit entry: {@link #leafHash} of its chain hash's 32 bytes. */
    public static byte[] entryLeaf(String entryHashHex) {
        return leafHash(HEX.parseHex(entryHashHex));
    }

    /** SHA-256(0x01 ‖ left ‖ right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root of the tree over {@code leaves} (leaf hashes); the hash of the empty string for none. */
    public static byte[] root(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return sha256().digest();
        }
        return subtreeRoot(leaves, 0, leaves.size());
    }

    private static byte[] subtreeRoot(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
    }

    /** RFC 9162 PATH(m, D[n]): the sibling hashes from leaf {@code index} up to the root. */
    public static List<byte[]> inclusionPath(List<byte[]> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leaves.size());
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, index, 0, leaves.size(), path);
        return path;
    }

    private static void path(List<byte[]> leaves, int index, int from, int to, List<byte[]> path) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (index - from < k) {
            path(leaves, index, from, from + k, path);
            path.add(subtreeRoot(leaves, from + k, to));
        } else {
            path(leaves, index, from + k, to, path);
            path.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /**
     * RFC 9162 §2.1.3.2: the root that {@code path} leads to from {@code leaf} at {@code index} of a tree of
     * {@code size} leaves, or null when the path cannot belong to such a tree.
     */
    public static byte[] rootFromInclusionPath(byte[] leaf, long index, long size, List<byte[]> path) {
        if (index < 0 || index >= size) {
            return null;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /**
     * The frontier of a tree of {@code size} leaves after appending {@code leaf}: a new list, the one given unchanged.
     */
    public static List<byte[]> append(List<byte[]> frontier, long size, byte[] leaf) {
        List<byte[]> next = new ArrayList<>(frontier);
        byte[] node = leaf;
        for (long s = size; (s & 1) == 1; s >>= 1) {
            node = nodeHash(next.remove(next.size() - 1), node);
        }
        next.add(node);
        return next;
    }

    /** The root of the tree a frontier describes; the hash of the empty string for an empty one. */
    public static byte[] rootOf(List<byte[]> frontier) {
        if (frontier.isEmpty()) {
            return sha256().digest();
        }
        byte[] root = frontier.get(frontier.size() - 1);
        for (int i = frontier.size() - 2; i >= 0; i--) {
            root = nodeHash(frontier.get(i), root);
        }
        return root;
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
