package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.*;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * A connected Unix stream socket carried by virgl4j's native helpers, because the JDK cannot
 * pass descriptors (SCM_RIGHTS), which vtest version 2+ needs for every shm resource.
 *
 * <p>One thread may read while another writes (each direction has its own native buffer and
 * lock). To stop a blocked reader, call {@link #shutdown()} before {@link #close()}.
 */
public final class VtestSocket implements VtestInput, AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private static final int EAGAIN = 11;
    /** Most descriptors one message may carry (the native helper's limit). */
    public static final int MAX_FDS = 16;
    /** Most bytes one {@link #readNow} returns. */
    public static final int MAX_READ = BUFFER;

    private final int fd;
    private final BytePointer readBuf = new BytePointer(BUFFER);
    private final BytePointer writeBuf = new BytePointer(BUFFER);
    // Views of the two native buffers: Java copies through them without a JNI call each.
    private final ByteBuffer readView = readBuf.asByteBuffer();
    private final ByteBuffer writeView = writeBuf.asByteBuffer();
    private final IntPointer fdOut = new IntPointer(1);
    private final IntBuffer fdOutView = fdOut.asBuffer();
    private final Object readLock = new Object();
    /** Orders shutdown against close: the fd number may be reused as soon as it is closed. */
    private final Object fdLock = new Object();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    /** Bytes read by {@link #receive} and the descriptors that came with them (now ours). */
    public record Received(int bytes, int[] fds) {
    }

    /** Takes ownership of an already connected socket descriptor. */
    public VtestSocket(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd);
        }
        this.fd = fd;
    }

    /** Connects to a listening socket at path. */
    public static VtestSocket connect(Path path) throws IOException {
        int fd = v4j_unix_connect(path.toString());
        check(fd, "connect " + path);
        return new VtestSocket(fd);
    }

    /** The descriptor (for poll). */
    public int fd() {
        return fd;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        synchronized (readLock) {
            ensureOpen();
            long n = v4j_read(fd, readBuf, Math.min(len, BUFFER));
            check(n, "read");
            if (n == 0) {
                return -1;
            }
            readView.get(0, buf, off, (int) n);
            return (int) n;
        }
    }

    /** Reads exactly len bytes or throws {@link EOFException}. */
    public void readFully(byte[] buf, int off, int len) throws IOException {
        int have = 0;
        while (have < len) {
            int r = read(buf, off + have, len - have);
            if (r < 0) {
                throw new EOFException("peer closed after " + have + " of " + len + " bytes");
            }
            have += r;
        }
    }

    /** recvmsg() of up to len bytes, collecting SCM_RIGHTS descriptors (0 bytes at end of stream). */
    public Received receive(byte[] buf, int off, int len) throws IOException {
        synchronized (readLock) {
            ensureOpen();
            int[] fds = new int[MAX_FDS];
            int[] nfds = new int[1];
            long n = v4j_recv_with_fds(fd, readBuf, Math.min(len, BUFFER), fds, MAX_FDS, nfds);
            check(n, "recvmsg");
            readView.get(0, buf, off, (int) n);
            return new Received((int) n, Arrays.copyOf(fds, nfds[0]));
        }
    }

    /**
     * Reads what is there without blocking: the count, 0 when nothing is (EAGAIN), -1 at end of
     * stream.
     */
    public int readNow(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        synchronized (readLock) {
            ensureOpen();
            long n = v4j_recv_dontwait(fd, readBuf, Math.min(len, BUFFER));
            if (n == -EAGAIN) {
                return 0;
            }
            check(n, "recv");
            if (n == 0) {
                return -1;
            }
            readView.get(0, buf, off, (int) n);
            return (int) n;
        }
    }

    /**
     * Sends up to len bytes (at most 64 KiB) without blocking, with fdToSend (or -1) attached to
     * the first byte: the count sent, 0 when the socket is full (EAGAIN).
     */
    public int sendNow(byte[] buf, int off, int len, int fdToSend) throws IOException {
        int n = Math.min(len, BUFFER);
        synchronized (writeLock) {
            ensureOpen();
            writeView.put(0, buf, off, n);
            fdOutView.put(0, fdToSend);
            long sent = v4j_send_dontwait(fd, writeBuf.position(0), n, fdOut, fdToSend >= 0 ? 1 : 0);
            if (sent == -EAGAIN) {
                return 0;
            }
            check(sent, "sendmsg");
            return (int) sent;
        }
    }

    public void write(byte[] buf) throws IOException {
        write(buf, 0, buf.length);
    }

    /** Writes all bytes (a closed peer is an IOException, never SIGPIPE). */
    public void write(byte[] buf, int off, int len) throws IOException {
        synchronized (writeLock) {
            ensureOpen();
            while (len > 0) {
                int n = Math.min(len, BUFFER);
                writeView.put(0, buf, off, n);
                check(v4j_write_all(fd, writeBuf.position(0), n), "write");
                off += n;
                len -= n;
            }
        }
    }

    /** sendmsg() of len (at most 64 KiB) bytes with descriptors attached; they stay open here. */
    public void send(byte[] buf, int off, int len, int... fds) throws IOException {
        if (len > BUFFER || len < 1 || fds.length > MAX_FDS) {
            throw new IllegalArgumentException("len " + len + ", " + fds.length + " fds");
        }
        synchronized (writeLock) {
            ensureOpen();
            writeView.put(0, buf, off, len);
            long n = v4j_send_with_fds(fd, writeBuf.position(0), len, fds, fds.length);
            check(n, "sendmsg");
            if (n < len) {
                // The fds went with the first part; the rest is plain data.
                check(v4j_write_all(fd, writeBuf.position(n), len - n), "write");
            }
        }
    }

    /**
     * Shuts both directions down, waking a blocked reader with end of stream. Safe against a
     * concurrent {@link #close()}: never reaches a descriptor number the kernel gave out again.
     */
    public void shutdown() {
        synchronized (fdLock) {
            if (!closed) {
                v4j_shutdown(fd);
            }
        }
    }

    @Override
    public void close() {
        synchronized (fdLock) { // not with the read lock: a blocked reader waits for shutdown
            if (closed) {
                return;
            }
            closed = true;
            v4j_close(fd);
        }
        synchronized (readLock) {
            readBuf.close();
        }
        synchronized (writeLock) {
            writeBuf.close();
            fdOut.close();
        }
    }

    /** The native buffers are freed on close: no read or write may touch them after it. */
    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("socket is closed");
        }
    }

    static void check(long result, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed: errno " + (-result));
        }
    }
}
