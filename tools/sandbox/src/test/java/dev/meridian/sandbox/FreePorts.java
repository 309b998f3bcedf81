package dev.meridian.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Consecutive free loopback ports for the sandbox's fixed-port services, away from the documented 8081.., with their
 * management ports ({@link SandboxServices#MANAGEMENT_PORT_OFFSET} above) free as well.
 */
final class FreePorts {

    private FreePorts() {
    }

    /** The first of {@code count} consecutive free loopback ports above 20000 whose management ports are free too. */
    static int range(int count) throws IOException {
        for (int base = 20_000 + (int) (ProcessHandle.current().pid() % 1000) * 10; base < 60_000; base += count) {
            if (allFree(base, count) && allFree(base + SandboxServices.MANAGEMENT_PORT_OFFSET, count)) {
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
