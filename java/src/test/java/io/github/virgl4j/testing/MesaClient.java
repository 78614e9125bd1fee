package io.github.virgl4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real Mesa GL program (glxinfo, glmark2, ...) as a vtest client (Mesa's virpipe driver)
 * of the server listening at a socket path.
 *
 * <p>Mesa 22.3 ignores VTEST_SOCKET_NAME and always connects to /tmp/.virgl_test, so the
 * program runs in a private mount namespace ({@code unshare --mount --propagation private},
 * needs root) with a fresh tmpfs on /tmp and a symlink /tmp/.virgl_test to the real socket;
 * VTEST_SOCKET_NAME is set too for newer Mesa. Hence the socket and every directory the client
 * uses must live outside /tmp. X still works: Xvfb's abstract socket is not under /tmp.
 */
public final class MesaClient {
    private final Path socket;
    private final Path workDir;
    private String display;
    private Duration timeout = Duration.ofSeconds(120);
    private final Map<String, String> extraEnv = new LinkedHashMap<>();

    /** Exit status (-1 after a timeout) and captured output of one run. */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        /** stdout then stderr, for matching and for failure messages. */
        public String output() {
            return stdout + stderr;
        }
    }

    private MesaClient(Path socket, Path workDir) {
        this.socket = socket.toAbsolutePath();
        this.workDir = workDir.toAbsolutePath();
    }

    /** A client of the server at socket, keeping its logs and shader cache in workDir. */
    public static MesaClient of(Path socket, Path workDir) {
        return new MesaClient(socket, workDir);
    }

    /** Whether private mount namespaces can be made here (util-linux unshare, as root). */
    public static boolean available() {
        if (!Processes.onPath("unshare")) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private",
                    "sh", "-c", "mount -t tmpfs tmpfs /tmp").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public MesaClient display(String value) {
        this.display = value;
        return this;
    }

    public MesaClient timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    public MesaClient env(String key, String value) {
        extraEnv.put(key, value);
        return this;
    }

    /** Runs command to completion or the timeout (then kills it and everything it started). */
    public Result run(String... command) throws IOException {
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "client", ".out");
        Path err = Files.createTempFile(workDir, "client", ".err");
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "sh", "-c",
                "mount -t tmpfs tmpfs /tmp && ln -s \"$V4J_VTEST_SOCKET\" /tmp/.virgl_test && exec \"$@\"",
                "mesa-client"));
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        Processes.scrubClientEnv(env);
        env.put("V4J_VTEST_SOCKET", socket.toString());
        env.put("VTEST_SOCKET_NAME", socket.toString());
        env.put("GALLIUM_DRIVER", "virpipe");
        env.put("MESA_SHADER_CACHE_DIR", workDir.resolve("mesa-cache-client").toString());
        if (display != null) {
            env.put("DISPLAY", display);
        }
        env.putAll(extraEnv);
        Process p = pb.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            Processes.killTree(p, Duration.ofSeconds(2));
        }
        return new Result(finished ? p.exitValue() : -1, !finished, Files.readString(out), Files.readString(err));
    }
}
