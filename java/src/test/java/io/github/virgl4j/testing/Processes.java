package io.github.virgl4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Small process helpers shared by the test harness. */
final class Processes {
    private Processes() {
    }

    /** Whether an executable of that name is on PATH. */
    static boolean onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Kills a process and everything it started (forked vtest servers, sh -c children). */
    static void killTree(Process process, Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** Removes variables that would turn a host-side process into a vtest client. */
    static void scrubClientEnv(Map<String, String> env) {
        env.remove("GALLIUM_DRIVER");
        env.remove("VTEST_SOCKET_NAME");
        env.remove("LIBGL_ALWAYS_SOFTWARE");
        env.remove("MESA_LOADER_DRIVER_OVERRIDE");
    }

    /**
     * Waits until a Unix socket at path is in LISTEN state (per /proc/net/unix), so a client
     * connecting right after does not hit the window between bind() and listen().
     */
    static void awaitListening(Path socket, Process owner, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String wanted = " " + socket.toAbsolutePath();
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IOException("process exited with " + owner.exitValue() + " before listening on " + socket);
            }
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = listening.
                String[] f = line.trim().split("\\s+");
                if (line.endsWith(wanted) && f.length >= 8 && f[3].equals("00010000")) {
                    return;
                }
            }
            sleep(50);
        }
        throw new IOException("nothing listening on " + socket + " after " + timeout);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
