package dev.meridian.auditproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9162 hashing against the Certificate Transparency reference vectors (RFC 6962's test data). */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f").stream().map(HEX::parseHex)
            .map(Merkle::leafHash).toList();
    /** The published roots of the trees of the first 0..8 reference leaves. */
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheReferenceVectorsForEverySize() {
        for (int size = 0; size <= LEAVES.size(); size++) {
            assertThat(Merkle.hex(Merkle.root(LEAVES.subList(0, size)))).as("size " + size)
                    .isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void theFrontierGivesTheSameRootAsTheWholeListAfterEveryAppend() {
        List<byte[]> frontier = new ArrayList<>();
        for (int size = 0; size < LEAVES.size(); size++) {
            frontier = Merkle.append(frontier, size, LEAVES.get(size));
            assertThat(Merkle.hex(Merkle.rootOf(frontier))).as("size " + (size + 1)).isEqualTo(ROOTS.get(size + 1));
            assertThat(frontier).hasSize(Long.bitCount(size + 1));
        }
    }

    @Test
    void theInclusionPathOfTheFirstLeafOfEightIsTheReferenceOne() {
        assertThat(Merkle.inclusionPath(LEAVES, 0)).extracting(Merkle::hex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void everyLeafsPathLeadsToTheRootInEveryTreeSizeAndNoWhereElse() {
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(Merkle.leafHash(new byte[] {(byte) i, (byte) (i * 7)}));
        }
        for (int size = 1; size <= many.size(); size++) {
            List<byte[]> tree = many.subList(0, size);
            byte[] root = Merkle.root(tree);
            for (int index = 0; index < size; index++) {
                List<byte[]> path = Merkle.inclusionPath(tree, index);
                assertThat(Merkle.rootFromInclusionPath(tree.get(index), index, size, path)).isEqualTo(root);
                int other = (index + 1) % size;
                if (other != index) {
                    byte[] wrong = Merkle.rootFromInclusionPath(tree.get(other), index, size, path);
                    assertThat(wrong).isNotEqualTo(root);
                }
                assertThat(Merkle.rootFromInclusionPath(tree.get(index), size, size, path)).isNull();
            }
        }
    }
}
