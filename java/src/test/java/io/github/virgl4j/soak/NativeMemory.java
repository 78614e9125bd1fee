package io.github.virgl4j.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory figures a soak test watches: resident set size and JDK direct buffers. */
record NativeMemory(long rssBytes, long directBytes, long directCount, long jvmCommitted) {

    /** RSS minus what the JVM itself has committed (heap, metaspace, code) and direct buffers. */
    long outsideJvm() {
        return rssBytes - jvmCommitted - directBytes;
    }


    /** Figures after garbage collection has settled (direct buffers are freed by Cleaners, later). */
    static NativeMemory now() {
        NativeMemory last = read();
        for (int i = 0; i < 20; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            NativeMemory next = read();
            if (next.directCount == last.directCount && i >= 2) {
                return next;
            }
            last = next;
        }
        return last;
    }

    private static NativeMemory read() {
        long rss = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            rss = -1;
        }
        long direct = 0;
        long count = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
                count = pool.getCount();
            }
        }
        java.lang.management.MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long jvm = mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted();
        return new NativeMemory(rss, direct, count, jvm);
    }

    @Override
    public String toString() {
        return String.format("RSS %.1f MiB (%.1f MiB outside the JVM's heap/metaspace/code), direct buffers "
                + "%.1f MiB in %d", rssBytes / 1048576.0, outsideJvm() / 1048576.0, directBytes / 1048576.0, directCount);
    }
}
