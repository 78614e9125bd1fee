package io.github.virgl4j.transport.vtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * Most released memories kept. Mesa's winsys keeps released resources in a cache of its own
     * and lets go of dozens at once when entries time out, then makes new ones a frame at a time,
     * so the first limit (16) let most of a burst be unmapped and made anew. Raised together with
     * {@link #MAX_OPEN_FDS}; together they took glmark2 from 0.61 memfd_create + mmap + munmap
     * per frame to none.
     */
    static final int MAX_POOLED = 128;
    /** Most bytes kept, counted in whole pages (an 8-byte memory holds a page). */
    static final long MAX_POOLED_TOTAL = 1024 * 1024;
    /**
     * Most small memories (live or kept) of one client that hold their fd open for a reuse.
     * glmark2 at ~700 FPS keeps 256-1024 fence resources alive in Mesa's cache: with 256 (the
     * first limit) 6 in 10 frames still made a new memfd.
     */
    static final int MAX_OPEN_FDS = 1024;
    /**
     * Most such fds of all clients together: a quarter of the process's descriptor limit, at
     * most 4096, so many clients cannot use up the descriptors the server needs for sockets.
     */
    static final int MAX_OPEN_FDS_ALL = Math.min(4096, Math.max(64, openFileLimit() / 4));
    private static final AtomicInteger OPEN_FDS_ALL = new AtomicInteger();
    private static final byte[] ZEROS = new byte[MAX_POOLED_BYTES];

    /** Released memories by size, newest first. */
    private final Map<Integer, ArrayDeque<SharedMemory>> free = new HashMap<>();
    private int freeCount;
    private long freeBytes;
    private int openFds;

    /**
     * A zeroed memory of exactly size bytes for resource id: a released one if there is, else a
     * new memfd (named after the resource; the name is built only then).
     */
    SharedMemory take(int id, int size) throws IOException {
        ArrayDeque<SharedMemory> same = free.get(size);
        SharedMemory m = same == null ? null : same.poll();
        if (m == null) {
            return SharedMemory.create("vtest-res-" + id, size);
        }
        freeCount--;
        freeBytes -= pages(size);
        m.buffer.put(0, ZEROS, 0, size);
        return m;
    }

    /**
     * Called once the client has its copy of the fd: ours is kept for a later reuse (a small
     * memory, while few are) or closed now, as the reference server does.
     */
    void sent(SharedMemory m) {
        if (m.reusable) {
            return; // a reused memory: its fd is already counted
        }
        if (m.size > MAX_POOLED_BYTES || openFds >= MAX_OPEN_FDS || !holdOneMore()) {
            m.closeFd();
        } else {
            m.reusable = true;
            openFds++;
        }
    }

    /** The resource is gone (detached from the device): keep its memory for reuse, or unmap it. */
    void release(SharedMemory m) {
        long bytes = pages(m.size);
        if (m.reusable && freeCount < MAX_POOLED && freeBytes + bytes <= MAX_POOLED_TOTAL) {
            free.computeIfAbsent(m.size, k -> new ArrayDeque<>()).push(m); // newest first
            freeCount++;
            freeBytes += bytes;
        } else {
            close(m);
        }
    }

    /** Unmaps and closes m for good. */
    void close(SharedMemory m) {
        if (m.reusable) {
            m.reusable = false;
            openFds--;
            OPEN_FDS_ALL.decrementAndGet();
        }
        m.close();
    }

    private static boolean holdOneMore() {
        if (OPEN_FDS_ALL.incrementAndGet() <= MAX_OPEN_FDS_ALL) {
            return true;
        }
        OPEN_FDS_ALL.decrementAndGet();
        return false;
    }

    /** Small memories of all clients holding their fd now. */
    static int openFdsOfAllClients() {
        return OPEN_FDS_ALL.get();
    }

    /** The soft RLIMIT_NOFILE ("Max open files" in /proc/self/limits), or 1024 if unknown. */
    static int openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE
                            : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: assume the common default
        }
        return 1024;
    }

    private static long pages(int size) {
        return (size + 0xfffL) & ~0xfffL;
    }

    @Override
    public void close() {
        for (ArrayDeque<SharedMemory> same : free.values()) {
            for (SharedMemory m : same) {
                close(m);
            }
        }
        free.clear();
        freeCount = 0;
        freeBytes = 0;
    }
}
