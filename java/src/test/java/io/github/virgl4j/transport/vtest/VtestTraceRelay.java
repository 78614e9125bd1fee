package io.github.virgl4j.transport.vtest;

import io.github.virgl4j.transport.vtest.VtestRequest.*;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man-in-the-middle between vtest clients and a real server, for learning what Mesa sends.
 * Client frames go through {@link VtestDecoder} (so real traffic also validates the decoder)
 * while being forwarded byte for byte; for every request that has an answer, the server's
 * reply is read with exactly the layout the request implies and forwarded, fds included
 * (SCM_RIGHTS on the 1-byte messages of RESOURCE_CREATE2 / blob / sync-wait replies).
 */
final class VtestTraceRelay implements AutoCloseable {

    /** One direction's message: a request (c2s) or the reply to it (s2c). */
    record Event(boolean fromClient, VtestCommandId command, int bytes, int fds, String detail) {
    }

    /** Everything one client connection exchanged. */
    static final class Trace {
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());
        volatile int negotiatedVersion = -1;
        volatile Throwable failure;
    }

    private final VtestListener listener;
    private final Path upstream;
    private final List<Trace> traces = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    VtestTraceRelay(Path relaySocket, Path upstream) throws IOException {
        this.listener = VtestListener.listen(relaySocket);
        this.upstream = upstream;
        this.acceptor = new Thread(this::acceptLoop, "vtest-trace-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    List<Trace> traces() {
        synchronized (traces) {
            return List.copyOf(traces);
        }
    }

    private void acceptLoop() {
        while (true) {
            VtestSocket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Trace trace = new Trace();
            traces.add(trace);
            try {
                VtestSocket server = VtestSocket.connect(upstream);
                new Connection(client, server, trace).start();
            } catch (IOException e) {
                trace.failure = e;
                client.close();
            }
        }
    }

    @Override
    public void close() {
        listener.close();
    }

    /** What the server sends back for one request. */
    private enum Shape { NONE, FRAME, CAPS, RAW }

    private record Expect(VtestCommandId command, Shape shape, int rawBytes, boolean fd) {
    }

    /** Queued after the client's last frame so the reply thread stops. */
    private static final Expect END = new Expect(null, Shape.NONE, 0, false);

    private static final class Connection {
        private final VtestSocket client;
        private final VtestSocket server;
        private final Trace trace;
        private final BlockingQueue<Expect> expected = new LinkedBlockingQueue<>();
        private final AtomicInteger version = new AtomicInteger();
        private VtestDecoder decoder;
        private int frameBytes;

        Connection(VtestSocket client, VtestSocket server, Trace trace) {
            this.client = client;
            this.server = server;
            this.trace = trace;
        }

        void start() {
            Thread c2s = new Thread(this::clientToServer, "vtest-trace-c2s");
            Thread s2c = new Thread(this::serverToClient, "vtest-trace-s2c");
            c2s.setDaemon(true);
            s2c.setDaemon(true);
            c2s.start();
            s2c.start();
        }

        private void clientToServer() {
            VtestInput tee = (buf, off, len) -> {
                int n = client.read(buf, off, len);
                if (n > 0) {
                    server.write(buf, off, n);
                    frameBytes += n;
                }
                return n;
            };
            decoder = new VtestDecoder(tee);
            try {
                while (true) {
                    frameBytes = 0;
                    var next = decoder.next();
                    if (next.isEmpty()) {
                        break;
                    }
                    VtestRequest r = next.get();
                    trace.events.add(new Event(true, r.command(), frameBytes, 0, detail(r)));
                    Expect e = expectation(r, version.get());
                    if (e.shape != Shape.NONE || e.fd) {
                        expected.add(e);
                    }
                }
            } catch (Throwable t) {
                trace.failure = t;
            } finally {
                server.shutdown();
                expected.add(END);
            }
        }

        private static String detail(VtestRequest r) {
            if (r instanceof CreateRenderer c) {
                return c.name();
            } else if (r instanceof ProtocolVersion p) {
                return "v" + p.version();
            } else if (r instanceof ResourceCreate2 c) {
                return "target " + c.target() + " bind 0x" + Integer.toHexString(c.bind()) + " shm " + c.dataSize();
            } else if (r instanceof ResourceBusyWait w) {
                return "handle " + w.handle() + " flags " + w.flags();
            } else if (r instanceof TransferGet2 g) {
                return "handle " + g.handle() + " " + g.box().width() + "x" + g.box().height()
                        + " size " + g.dataSize() + " offset " + g.offset();
            } else if (r instanceof SubmitCmd s) {
                return s.dwordCount() + " dwords";
            }
            return "";
        }

        private static Expect expectation(VtestRequest r, int v) {
            VtestCommandId c = r.command();
            return switch (c) {
                case PING_PROTOCOL_VERSION, RESOURCE_BUSY_WAIT, PROTOCOL_VERSION, GET_PARAM,
                        GET_CAPSET, SYNC_CREATE, SYNC_READ -> new Expect(c, Shape.FRAME, 0, false);
                case GET_CAPS, GET_CAPS2 -> new Expect(c, Shape.CAPS, 0, false);
                case RESOURCE_CREATE -> new Expect(c, v >= 3 ? Shape.FRAME : Shape.NONE, 0, false);
                case RESOURCE_CREATE2 -> new Expect(c, v >= 3 ? Shape.FRAME : Shape.NONE, 0,
                        ((ResourceCreate2) r).dataSize() > 0);
                case RESOURCE_CREATE_BLOB, SYNC_WAIT -> new Expect(c, Shape.FRAME, 0, true);
                case TRANSFER_GET -> new Expect(c, Shape.RAW, (int) ((TransferGet) r).dataSize(), false);
                default -> new Expect(c, Shape.NONE, 0, false);
            };
        }

        private void serverToClient() {
            try {
                while (true) {
                    Expect e = expected.take();
                    if (e == END) {
                        break;
                    }
                    int bytes = 0;
                    String detail = "";
                    if (e.shape == Shape.FRAME || e.shape == Shape.CAPS) {
                        byte[] header = relay(8);
                        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                        long len = Integer.toUnsignedLong(h.getInt(0));
                        int id = h.getInt(4);
                        long payload = e.shape == Shape.CAPS ? len - 1 : len * 4;
                        byte[] body = relay((int) payload);
                        bytes = 8 + body.length;
                        detail = "[" + len + "][" + id + "]";
                        if (e.command == VtestCommandId.PROTOCOL_VERSION) {
                            int v = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                            version.set(v);
                            decoder.setProtocolVersion(v);
                            trace.negotiatedVersion = v;
                            detail += " v" + v;
                        } else if (body.length >= 4 && body.length <= 8) {
                            detail += " " + ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
                        }
                    } else if (e.shape == Shape.RAW) {
                        bytes = relay(e.rawBytes).length;
                    }
                    int fds = 0;
                    if (e.fd) {
                        byte[] one = new byte[1];
                        VtestSocket.Received got = server.receive(one, 0, 1);
                        if (got.bytes() != 1) {
                            throw new IOException("server closed before the fd message");
                        }
                        client.send(one, 0, 1, got.fds());
                        for (int fd : got.fds()) {
                            io.github.virgl4j.binding.global.virglrenderer.v4j_close(fd);
                        }
                        fds = got.fds().length;
                        bytes += 1;
                    }
                    trace.events.add(new Event(false, e.command, bytes, fds, detail));
                }
            } catch (InterruptedException | IOException e) {
                // the connection ended
            } finally {
                client.shutdown();
                client.close();
                server.close();
            }
        }

        private byte[] relay(int n) throws IOException {
            byte[] b = new byte[n];
            server.readFully(b, 0, n);
            client.write(b);
            return b;
        }
    }
}
