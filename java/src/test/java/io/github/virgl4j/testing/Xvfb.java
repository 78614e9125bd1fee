package io.github.virgl4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private X server for GL clients. Xvfb picks a free display number itself
 * ({@code -displayfd}) and prints it once it accepts connections, so there is no race with
 * other servers on the machine. No TCP listener. Clients reach it through the abstract socket
 * {@code @/tmp/.X11-unix/X<n>}, which works inside {@link MesaClient}'s private /tmp too.
 */
public final class Xvfb implements AutoCloseable {
    private final Process process;
    private final int displayNumber;

    private Xvfb(Process process, int displayNumber) {
        this.process = process;
        this.displayNumber = displayNumber;
    }

    /** Whether Xvfb is installed. */
    public static boolean available() {
        return Processes.onPath("Xvfb");
    }

    /** Starts Xvfb (1280x1024x24) with its logs in workDir and waits until it is ready. */
    public static Xvfb start(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path out = workDir.resolve("xvfb.display");
        Path log = workDir.resolve("xvfb.log");
        Process p = new ProcessBuilder("Xvfb", "-displayfd", "1", "-nolisten", "tcp",
                "-screen", "0", "1280x1024x24")
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(out);
            if (text.contains("\n")) {
                return new Xvfb(p, Integer.parseInt(text.trim()));
            }
            if (!p.isAlive()) {
                throw new IOException("Xvfb exited: " + Files.readString(log));
            }
            Processes.sleep(50);
        }
        Processes.killTree(p, Duration.ofSeconds(2));
        throw new IOException("Xvfb did not report a display: " + Files.readString(log));
    }

    /** The DISPLAY value, e.g. {@code ":3"}. */
    public String display() {
        return ":" + displayNumber;
    }

    @Override
    public void close() {
        Processes.killTree(process, Duration.ofSeconds(5));
    }
}
