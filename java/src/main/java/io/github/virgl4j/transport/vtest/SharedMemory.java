package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.v4j_close;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_errno;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_memfd;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_mmap_shared;
import static io.github.virgl4j.binding.global.virglrenderer.v4j_munmap;

import io.github.virgl4j.renderer.HostMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.Pointer;

/**
 * A memfd the server creates for a vtest resource (protocol v2+): mapped here, its fd sent to
 * the client, which maps it too. To the device it is a region of the client's guest memory.
 */
final class SharedMemory implements AutoCloseable {
    private int fd;
    final long address;
    final int size;
    final ByteBuffer buffer;
    private boolean closed;
    /** Whether its fd stays open so a {@link SharedMemoryPool} may hand it out again. */
    boolean reusable;

    private SharedMemory(int fd, long address, int size) {
        this.fd = fd;
        this.address = address;
        this.size = size;
        this.buffer = HostMemory.view(address, size);
    }

    static SharedMemory create(String name, int size) throws IOException {
        int fd = v4j_memfd(name, size);
        if (fd < 0) {
            throw new IOException("memfd_create of " + size + " bytes failed: errno " + -fd);
        }
        Pointer p = v4j_mmap_shared(fd, size, 0, 1);
        if (p == null || p.isNull()) {
            int errno = v4j_errno();
            v4j_close(fd);
            throw new IOException("mmap of " + size + " bytes failed: errno " + errno);
        }
        return new SharedMemory(fd, p.address(), size);
    }

    /** The memfd, until {@link #closeFd}. */
    int fd() {
        return fd;
    }

    /**
     * Closes the memfd once the client has its own copy (the mapping stays), as the reference
     * server does: a client with many resources does not hold as many server descriptors.
     */
    void closeFd() {
        if (fd >= 0) {
            v4j_close(fd);
            fd = -1;
        }
    }

    /** Unmaps and closes; the caller has detached the memory from the device first. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            v4j_munmap(new Pointer() {
                {
                    address = SharedMemory.this.address;
                }
            }, size);
            closeFd();
        }
    }
}
