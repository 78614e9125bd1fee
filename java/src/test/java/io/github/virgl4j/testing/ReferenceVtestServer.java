package io.github.virgl4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * virglrenderer's own {@code virgl_test_server} (Debian package virgl-server) as the reference
 * our vtest server must match. Runs {@code --use-egl-surfaceless} (llvmpipe on this machine)
 * and forks one child per client, like its default. Its environment never contains
 * GALLIUM_DRIVER=virpipe: its own Mesa would connect back to itself and hang.
 *
 * <p>{@code --socket-path} is an optional-argument option in 0.10.4, so only the
 * {@code --socket-path=PATH} spelling works; a separate argument would be ignored.
 */
public final class ReferenceVtestServer implements AutoCloseable {
    /** The executable name. */
    public static final String BINARY = "virgl_test_server";

    private final Process process;
    private final Path socket;
    private final Path log;

    private ReferenceVtestServer(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Whether virgl_test_server is installed. */
    public static boolean available() {
        return Processes.onPath(BINARY);
    }

    /**
     * Starts the server listening at socket (keep it outside /tmp: clients get a private /tmp)
     * and waits until it accepts connections. Logs and the shader cache go to workDir.
     */
    public static ReferenceVtestServer start(Path socket, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("virgl_test_server.log");
        ProcessBuilder pb = new ProcessBuilder(BINARY, "--use-egl-surfaceless",
                "--socket-path=" + socket.toAbsolutePath())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Processes.scrubClientEnv(pb.environment());
        pb.environment().put("MESA_SHADER_CACHE_DIR", workDir.resolve("mesa-cache-server").toString());
        Process p = pb.start();
        try {
            Processes.awaitListening(socket, p, Duration.ofSeconds(20));
        } catch (IOException e) {
            Processes.killTree(p, Duration.ofSeconds(2));
            throw new IOException(e.getMessage() + "; log: " + Files.readString(log), e);
        }
        return new ReferenceVtestServer(p, socket.toAbsolutePath(), log);
    }

    public Path socket() {
        return socket;
    }

    /** What the server printed so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws IOException {
        Processes.killTree(process, Duration.ofSeconds(5));
        Files.deleteIfExists(socket);
    }
}
