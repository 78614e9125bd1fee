package io.github.virgl4j.cli;

import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.transport.vhostuser.BackendOptions;
import io.github.virgl4j.transport.vhostuser.FrameDumper;
import io.github.virgl4j.transport.vhostuser.SessionEnd;
import io.github.virgl4j.transport.vhostuser.VhostUserGpuBackend;
import io.github.virgl4j.transport.vhostuser.VhostUserListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code virgl4j vhost-user}: a vhost-user-gpu back end for QEMU's {@code vhost-user-gpu-pci},
 * with the command line of QEMU's back-end conventions ({@code --socket-path}, {@code --fd},
 * {@code --print-capabilities}). It serves one front end and exits when the session ends:
 * status 1 when QEMU disconnects, 2 on a protocol error, 3 on a socket error, 4 on an internal
 * error, 5 when it cannot start — never silently, so a guest is not left waiting on a dead
 * device.
 */
@Command(name = "vhost-user", mixinStandardHelpOptions = true,
        description = "Serve QEMU's vhost-user-gpu-pci device (3D through virglrenderer) on a Unix socket.")
final class VhostUserCommand implements Callable<Integer> {
    static final int EXIT_SETUP = 5;

    /** What --print-capabilities prints: the format QEMU's own vhost-user-gpu back end uses. */
    static final String CAPABILITIES = "{\n  \"type\": \"gpu\",\n  \"features\": [\n    \"render-node\",\n    \"virgl\"\n  ]\n}\n";

    @Mixin
    RendererMixin renderer;

    @Option(names = {"-s", "--socket-path"}, paramLabel = "PATH", description = "Listen on this Unix socket and serve the first front end.")
    Path socketPath;

    @Option(names = {"-f", "--fd"}, paramLabel = "FDNUM", defaultValue = "-1",
            description = "Use an inherited, connected vhost-user socket instead of --socket-path.")
    int fd;

    @Option(names = {"-c", "--print-capabilities"}, description = "Print the back-end capabilities as JSON and exit.")
    boolean printCapabilities;

    @Option(names = {"-v", "--virgl"}, description = "Accepted for compatibility: virgl is always on when the renderer starts.")
    boolean virgl;

    @Option(names = "--no-virgl", description = "A 2D-only device without the renderer (no VIRGL feature); a Linux"
            + " guest then scans out guest-memory blobs.")
    boolean noVirgl;

    @Option(names = "--dump-frames", paramLabel = "DIR", description = "Write scanout frames as PNG files into DIR.")
    Path dumpFrames;

    @Option(names = "--dump-max", defaultValue = "200", description = "At most this many PNG files. Default: ${DEFAULT-VALUE}")
    int dumpMax;

    @Option(names = "--record", paramLabel = "FILE",
            description = {"Record the guest's command stream (replay it with `virgl4j replay`): the first used",
                "device to FILE, a device rebuilt after a guest reset to FILE-n.vgs."})
    Path record;

    @Option(names = "--record-label", paramLabel = "TEXT", description = "A description stored in the recorded streams' manifests.")
    String recordLabel;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (printCapabilities) {
            System.out.print(CAPABILITIES);
            System.out.flush();
            return 0;
        }
        if ((socketPath == null) == (fd < 0)) {
            err.println("virgl4j vhost-user: give exactly one of --socket-path=PATH or --fd=FDNUM");
            return 2;
        }
        if (dumpMax < 1 || dumpMax > 100_000) {
            err.println("virgl4j vhost-user: --dump-max must be 1..100000");
            return 2;
        }
        if (fd >= 0) {
            try {
                VhostUserListener.inherited(fd);
            } catch (java.io.IOException e) {
                err.println("virgl4j vhost-user: " + e.getMessage());
                return EXIT_SETUP;
            }
        }
        Renderer r = null;
        if (!noVirgl) {
            try {
                r = Renderer.open(renderer.options());
            } catch (RuntimeException e) {
                err.println("virgl4j vhost-user: cannot start the renderer: " + e.getMessage());
                return EXIT_SETUP;
            }
        }
        FrameDumper dumper = dumpFrames == null ? null : new FrameDumper(dumpFrames, dumpMax);
        try (AutoCloseable closeRenderer = r == null ? () -> { } : r) {
            err.println(r == null ? "virgl4j vhost-user: 2D only (--no-virgl)"
                    : "virgl4j vhost-user: renderer " + r.info().glRenderer() + " (" + r.info().backend().id() + ")");
            int conn;
            try {
                conn = socketPath != null
                        ? VhostUserListener.acceptOne(socketPath, () -> err.println("virgl4j vhost-user: listening on " + socketPath))
                        : fd;
            } catch (java.io.IOException e) {
                err.println("virgl4j vhost-user: " + e.getMessage());
                return EXIT_SETUP;
            }
            err.println("virgl4j vhost-user: front end connected");
            DisplayListener extra = dumper == null ? DisplayListener.NONE : dumper;
            SessionEnd end;
            long t0 = System.nanoTime();
            try (VhostUserGpuBackend backend = new VhostUserGpuBackend(conn, backendOptions(r, extra))) {
                end = backend.serve();
                err.printf("virgl4j vhost-user: session ended after %.1f s, %d vhost-user messages%n",
                        (System.nanoTime() - t0) / 1e9, backend.messages());
            }
            if (dumper != null) {
                dumper.close();
                err.println("virgl4j vhost-user: " + dumper.written() + " frame(s) written to " + dumpFrames);
            }
            String what = end.kind() == SessionEnd.Kind.DISCONNECTED ? "front end disconnected" : end.kind().toString();
            err.println("virgl4j vhost-user: exiting (" + what + ": " + end.detail() + "), status " + end.kind().exitStatus());
            return end.kind().exitStatus();
        } finally {
            if (dumper != null) {
                dumper.close();
            }
        }
    }

    private BackendOptions backendOptions(Renderer r, DisplayListener extra) {
        BackendOptions o = BackendOptions.of(r).withDisplay(extra);
        if (record == null) {
            return o;
        }
        Recordings recordings = new Recordings(record, r, recordLabel);
        return o.withTaps(recordings::next);
    }
}
