package dev.meridian.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that can cut the link and restore it while its port stays the same: a region's
 * wide-area link in a multi-region test. {@link #cut()} closes every open connection and refuses new ones (they
 * are accepted and closed at once, as a peer behind a failed link would look to a client); {@link #restore()}
 * forwards again. Clients reconnect to the same address by themselves, as they would after a real outage.
 *
 * <p>Blocking sockets, two threads per connection: Kafka clients open a few dozen connections at most, and this
 * is the simplest code that forwards bytes faithfully.
 */
public final class TcpProxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TcpProxy.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String name;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final Thread acceptor;
    private volatile InetSocketAddress target;
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(String name, ServerSocket server) {
        this.name = name;
        this.server = server;
        this.acceptor = new Thread(this::accept, "tcp-proxy-" + name + "-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Binds a free loopback port now, so its address can be handed out (advertised by a broker, say) before the
     * target exists; nothing is forwarded until {@link #forwardTo} names the target.
     */
    public static TcpProxy bind(String name) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            TcpProxy proxy = new TcpProxy(Objects.requireNonNull(name, "name"), server);
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException(name + ": could not bind a proxy port", e);
        }
    }

    /** Where accepted connections go; until set, connections are accepted and closed. */
    public TcpProxy forwardTo(String host, int port) {
        this.target = new InetSocketAddress(host, port);
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} of the proxy, for a bootstrap list or an advertised listener. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /** Closes every open connection and refuses new ones until {@link #restore()}; the port stays bound. */
    public void cut() {
        cut = true;
        int open = links.size();
        links.forEach(Link::close);
        LOG.log(System.Logger.Level.INFO, () -> name + ": link cut, " + open + " connections closed");
    }

    /** Forwards new connections again. */
    public void restore() {
        cut = false;
        LOG.log(System.Logger.Level.INFO, () -> name + ": link restored");
    }

    public boolean isCut() {
        return cut;
    }

    /** Connections currently forwarded. */
    public int openConnections() {
        return links.size();
    }

    /** Connections refused while the link was cut (or before a target was set). */
    public long refusedConnections() {
        return refused.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing is best effort; the port is released either way.
        }
        links.forEach(Link::close);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + address() + " -> " + target + (cut ? ", cut" : "") + "]";
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, name + ": accept failed", e);
                }
                return;
            }
            InetSocketAddress to = target;
            if (cut || to == null) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(to, 5_000);
                Link link = new Link(client, upstream);
                links.add(link);
                if (cut) {
                    // cut() ran between the check above and the add: it must not miss this one.
                    link.close();
                } else {
                    link.start();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": could not reach " + to + ": " + e.getMessage());
                closeQuietly(client);
            }
        }
    }

    /** One client connection and its upstream twin; closing either end closes both. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;

        Link(Socket client, Socket upstream) throws SocketException {
            this.client = client;
            this.upstream = upstream;
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        }

        void start() {
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, read);
                    }
                } catch (IOException e) {
                    // The other side closed, or cut() did: either way this link is over.
                } finally {
                    close();
                }
            }, "tcp-proxy-" + name + "-" + direction + "-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already gone.
        }
    }
}
