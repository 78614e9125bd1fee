package io.github.virgl4j.transport.vtest;

import io.github.virgl4j.device.CommandTap;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.renderer.Renderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A vtest server: a drop-in for virglrenderer's {@code virgl_test_server}. Each client gets its
 * own virtio-gpu device on the shared renderer, and its connection is served on the render
 * thread (no per-request thread hand-over); a thread of ours only accepts. A client that
 * disconnects or sends garbage is dropped alone while the others go on.
 */
public final class VtestServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VtestServer.class.getName());

    private final VtestListener listener;
    private final Renderer renderer;
    private final IntFunction<CommandTap> taps;
    private final Thread acceptor;
    private final Set<VtestClientSession> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final java.util.function.Consumer<VirtioGpu> onDisconnect;
    private final int maxProtocolVersion;
    private volatile int maxClients = MAX_CLIENTS;
    private volatile boolean closed;

    /**
     * Most clients served at once by default; one more is disconnected at once (it reads end of
     * stream). Each client costs a device and a descriptor in the render thread's poll set.
     */
    public static final int MAX_CLIENTS = 256;
    /**
     * The highest limit {@link #maxClients(int)} takes: the render thread polls at most 1024
     * descriptors (its own two, the clients' and any other transport's), so more could never all
     * be served.
     */
    public static final int CLIENT_LIMIT = 1000;

    private VtestServer(VtestListener listener, Renderer renderer, IntFunction<CommandTap> taps,
                        java.util.function.Consumer<VirtioGpu> onDisconnect, int maxProtocolVersion) {
        this.maxProtocolVersion = maxProtocolVersion;
        this.onDisconnect = onDisconnect;
        this.listener = listener;
        this.renderer = renderer;
        this.taps = taps;
        this.acceptor = new Thread(this::acceptLoop, "vtest-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on path (a stale socket file is replaced) and serves clients until closed.
     *
     * @param taps         recording hook for the n-th client (0-based), or null for none
     * @param onDisconnect told about each client's device when the client goes (metrics), or null
     */
    public static VtestServer start(Path path, Renderer renderer, IntFunction<CommandTap> taps,
                                    java.util.function.Consumer<VirtioGpu> onDisconnect) throws IOException {
        return start(path, renderer, taps, onDisconnect, VtestProtocol.MAX_VERSION);
    }

    /**
     * As {@link #start(Path, Renderer, IntFunction, java.util.function.Consumer)}, agreeing to at
     * most protocol version maxProtocolVersion (0, 2 or 3; 1 is withdrawn and means 0). Version
     * 0 moves transfer data through the socket instead of shared memory: slower, but Mesa 22.3's
     * drisw then never reads back a window it has not mapped, which is what makes
     * {@code glxinfo -B} die with BadMatch (X_GetImage) at v2+, against virgl_test_server too.
     */
    public static VtestServer start(Path path, Renderer renderer, IntFunction<CommandTap> taps,
                                    java.util.function.Consumer<VirtioGpu> onDisconnect, int maxProtocolVersion)
            throws IOException {
        if (maxProtocolVersion < VtestProtocol.VERSION_0 || maxProtocolVersion > VtestProtocol.MAX_VERSION) {
            throw new IllegalArgumentException("vtest protocol version " + maxProtocolVersion
                    + " is not one of 0.." + VtestProtocol.MAX_VERSION);
        }
        VtestServer server = new VtestServer(VtestListener.listen(path), renderer, taps == null ? n -> null : taps,
                onDisconnect == null ? d -> { } : onDisconnect, maxProtocolVersion);
        server.acceptor.start();
        return server;
    }

    /**
     * Sets how many clients are served at once (default {@link #MAX_CLIENTS}); clients already
     * connected stay.
     *
     * @throws IllegalArgumentException n is not in 1..{@link #CLIENT_LIMIT}
     */
    public VtestServer maxClients(int n) {
        maxClients = checkMaxClients(n);
        return this;
    }

    /** n if it is a client limit {@link #maxClients(int)} takes, else IllegalArgumentException. */
    public static int checkMaxClients(int n) {
        if (n < 1 || n > CLIENT_LIMIT) {
            throw new IllegalArgumentException("--max-clients must be 1.." + CLIENT_LIMIT + ", not " + n);
        }
        return n;
    }

    public Path path() {
        return listener.path();
    }

    /** Clients accepted so far. */
    public int acceptedClients() {
        return accepted.get();
    }

    /** The devices of the clients connected now (for metrics). */
    public List<VirtioGpu> devices() {
        return clients.stream().map(VtestClientSession::device).toList();
    }

    private void acceptLoop() {
        while (!closed) {
            VtestSocket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "vtest accept failed: " + e.getMessage());
                }
                return;
            }
            int n = accepted.getAndIncrement();
            if (clients.size() >= maxClients) {
                LOG.warning("vtest client " + n + " refused: " + maxClients + " clients are connected");
                socket.close();
                continue;
            }
            serve(socket, n);
        }
    }

    /** Gives the client its device and hands its connection to the render thread. */
    private void serve(VtestSocket socket, int n) {
        VtestClientSession session = null;
        try {
            session = new VtestClientSession(socket, renderer, "vtest-client-" + n, taps.apply(n),
                    maxProtocolVersion, this::closed);
            clients.add(session);
            session.start();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "vtest client " + n + " could not start: " + e.getMessage());
            if (session != null) {
                clients.remove(session);
                session.device().close();
            }
            socket.close();
        }
    }

    /** A client's session has closed (render thread): its recording is complete by now. */
    private void closed(VtestClientSession session) {
        clients.remove(session);
        onDisconnect.accept(session.device());
    }

    /** Stops accepting, disconnects every client and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        for (VtestClientSession c : clients) {
            c.shutdown(); // the render thread sees end of stream and closes the session
        }
    }
}
