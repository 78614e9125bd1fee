package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One client's recently released small shared memories, kept for its next RESOURCE_CREATE2 of
 * the same size. Mesa's vtest winsys makes each fence a new 8-byte shm resource and drops it a
 * frame later; reusing the memfd and its mapping saves memfd_create, ftruncate, mmap and munmap
 * (a TLB shoot-down across the server's threads) per frame. A reused memory is zeroed first, as
 * a new memfd is. Only the client that released a memory gets it again.
 */
final class SharedMemoryPool implements AutoCloseable {
    /** Largest memory kept (bigger ones are rare and not worth holding). */
    static final int MAX_POOLED_BYTES = 64 * 1024;
    /** Most released memories kept. */
    static final int MAX_POOLED = 16;
    /** Most small memories (live or kept) that hold their fd open for a reuse. */
    static final int MAX_OPEN_FDS = 256;
    private static final byte[] ZEROS = new byte[MAX_POOLED_BYTES];

    private final ArrayDeque<SharedMemory> free = new ArrayDeque<>();
    private int openFds;

    /**
     * A zeroed memory of exactly size bytes for resource id: a released one if there is, else a
     * new memfd (named after the resource; the name is built only then).
     */
    SharedMemory take(int id, int size) throws IOException {
        for (var it = free.iterator(); it.hasNext(); ) {
            SharedMemory m = it.next();
            if (m.size == size) {
                it.remove();
                m.buffer.put(0, ZEROS, 0, size);
                return m;
            }
        }
        return SharedMemory.create("vtest-res-" + id, size);
    }

    /**
     * Called once the client has its copy of the fd: ours is kept for a later reuse (a small
     * memory, while few are) or closed now, as the reference server does.
     */
    void sent(SharedMemory m) {
        if (m.reusable) {
            return; // a reused memory: its fd is already counted
        }
        if (m.size > MAX_POOLED_BYTES || openFds >= MAX_OPEN_FDS) {
            m.closeFd();
        } else {
            m.reusable = true;
            openFds++;
        }
    }

    /** The resource is gone (detached from the device): keep its memory for reuse, or unmap it. */
    void release(SharedMemory m) {
        if (m.reusable && free.size() < MAX_POOLED) {
            free.push(m); // newest first
        } else {
            close(m);
        }
    }

    /** Unmaps and closes m for good. */
    void close(SharedMemory m) {
        if (m.reusable) {
            m.reusable = false;
            openFds--;
        }
        m.close();
    }

    @Override
    public void close() {
        for (SharedMemory m : free) {
            close(m);
        }
        free.clear();
    }
}
