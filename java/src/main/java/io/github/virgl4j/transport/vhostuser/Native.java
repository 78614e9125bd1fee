package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.binding.global.virglrenderer;
import io.github.virgl4j.renderer.HostMemory;
import io.github.virgl4j.renderer.RendererUnavailableException;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;

/**
 * Internal: the POSIX calls this transport needs (Unix sockets with SCM_RIGHTS, eventfd, poll,
 * mmap of guest RAM), as thin wrappers over virgl4j_native.h. Every call returns a number
 * ({@code -errno} on failure) and never throws for a failed system call; buffers must be
 * direct.
 */
final class Native {
    private Native() {
    }

    /** Throws when the JNI library cannot load (checked once when a back end starts). */
    static void ensureAvailable() {
        if (!HostMemory.isAvailable()) {
            throw new RendererUnavailableException("the virgl4j JNI library cannot be loaded", null);
        }
    }

    private static Pointer ptr(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return new Pointer(direct.duplicate().clear());
    }

    static int close(int fd) {
        return fd < 0 ? 0 : virglrenderer.v4j_close(fd);
    }

    static int shutdown(int fd) {
        return virglrenderer.v4j_shutdown(fd);
    }

    static boolean isOpen(int fd) {
        return fd >= 0 && virglrenderer.v4j_fd_is_open(fd) == 1;
    }

    /**
     * recvmsg() into the first {@code len} bytes of {@code buf}, collecting at most
     * {@code fds.length} descriptors (extra ones are closed natively). Returns the byte count
     * (0 at end of stream) or -errno; {@code nfds[0]} gets the descriptor count.
     */
    static long recvWithFds(int fd, ByteBuffer buf, int len, int[] fds, int[] nfds) {
        nfds[0] = 0;
        return virglrenderer.v4j_recv_with_fds(fd, ptr(buf), len, fds, fds.length, nfds);
    }

    /** Reads bytes [from, from+len) of {@code buf} fully; returns len, a short count at end of stream, or -errno. */
    static long readFull(int fd, ByteBuffer buf, int from, int len) {
        if (len == 0) {
            return 0;
        }
        return virglrenderer.v4j_read_full(fd, ptr(buf.duplicate().clear().position(from).slice()), len);
    }

    /** Writes the whole of {@code buf} (position 0 to limit). Returns the count or -errno. */
    static long writeAll(int fd, ByteBuffer buf) {
        return virglrenderer.v4j_write_all(fd, ptr(buf), buf.limit());
    }

    /** sendmsg() of the whole buffer with descriptors attached. Returns the count or -errno. */
    static long sendWithFds(int fd, ByteBuffer buf, int[] fds) {
        return virglrenderer.v4j_send_with_fds(fd, ptr(buf), buf.limit(), fds, fds.length);
    }

    static int socketpair(int[] out) {
        return virglrenderer.v4j_socketpair(out);
    }

    static int unixListen(String path) {
        return virglrenderer.v4j_unix_listen(path, 1);
    }

    static int unixConnect(String path) {
        return virglrenderer.v4j_unix_connect(path);
    }

    static int accept(int listenFd) {
        return virglrenderer.v4j_accept(listenFd);
    }

    static int unlink(String path) {
        return virglrenderer.v4j_unlink(path);
    }

    static int eventfd() {
        return virglrenderer.v4j_eventfd(0, 1);
    }

    static long eventfdRead(int fd) {
        return virglrenderer.v4j_eventfd_read(fd);
    }

    static int eventfdWrite(int fd, long value) {
        return virglrenderer.v4j_eventfd_write(fd, value);
    }

    /** poll() for input; {@code ready[i]} gets revents of {@code fds[i]}. */
    static int pollIn(int[] fds, short[] ready, int timeoutMs) {
        return virglrenderer.v4j_poll_in(fds, ready, fds.length, timeoutMs);
    }

    static long fdSize(int fd) {
        return virglrenderer.v4j_fd_size(fd);
    }

    static long pageSize() {
        return virglrenderer.v4j_page_size();
    }

    /** Shared read-write mapping; returns the address or -errno. */
    static long mmap(int fd, long size, long offset) {
        return virglrenderer.v4j_mmap_addr(fd, size, offset);
    }

    static int munmap(long address, long size) {
        return virglrenderer.v4j_munmap_addr(address, size);
    }

    /** A little-endian view of natively mapped memory the caller keeps mapped. */
    static ByteBuffer view(long address, int length) {
        return HostMemory.view(address, length);
    }

    static int memfd(String name, long size) {
        return virglrenderer.v4j_memfd(name, size);
    }
}
