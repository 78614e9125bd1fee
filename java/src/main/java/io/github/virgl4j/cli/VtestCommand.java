package io.github.virgl4j.cli;

import io.github.virgl4j.device.DeviceMetrics;
import io.github.virgl4j.device.VirtioGpu;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.transport.vtest.VtestProtocol;
import io.github.virgl4j.transport.vtest.VtestServer;
import io.github.virgl4j.device.GpuConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virgl4j vtest}: a drop-in replacement for virgl_test_server. */
@Command(name = "vtest", mixinStandardHelpOptions = true,
        description = {"Serve the vtest protocol (Mesa's virpipe driver) like virgl_test_server.",
            "Clients: GALLIUM_DRIVER=virpipe glxinfo | glmark2 | es2gears ..."})
final class VtestCommand implements Callable<Integer> {
    @Option(names = "--socket-path", defaultValue = VtestProtocol.DEFAULT_SOCKET_PATH,
            description = "Unix socket to listen on. Default: ${DEFAULT-VALUE}")
    Path socketPath;

    @Option(names = "--multi-clients", description = "Serve several clients at once (always on: each client gets its own device).")
    boolean multiClients;

    @picocli.CommandLine.Mixin
    RendererMixin rendererOptions;

    @Option(names = "--use-egl-surfaceless", description = "Accepted for compatibility: EGL is used, surfaceless without a render node.")
    boolean surfaceless;

    @Option(names = {"--no-fork"}, description = "Accepted for compatibility (clients are served in this process, never forked).")
    boolean noFork;

    @Option(names = "--no-loop-or-fork", description = "Serve one client, then exit.")
    boolean once;

    @Option(names = "--record", paramLabel = "FILE",
            description = {"Record each client's command stream (replay it with `virgl4j replay`):",
                "the first client to FILE, the n-th after it to FILE-n.vgs."})
    Path record;

    @Option(names = "--record-label", paramLabel = "TEXT",
            description = "A description stored in the recorded streams' manifests.")
    String recordLabel;

    @Option(names = "--max-protocol-version", paramLabel = "N", defaultValue = "" + VtestProtocol.MAX_VERSION,
            description = {"Highest vtest protocol version to agree to (0, 2 or 3; default ${DEFAULT-VALUE}).",
                "0 makes `glxinfo -B` work: Mesa 22.3 reads an unmapped window's pixels at v2+ (BadMatch)."})
    int maxProtocolVersion;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + VtestServer.MAX_CLIENTS,
            description = {"Most clients served at once (1.." + VtestServer.CLIENT_LIMIT + ", default ${DEFAULT-VALUE});",
                "one more is disconnected at once (it reads end of stream)."})
    int maxClients;

    @Option(names = "--use-glx", description = "Not supported (virgl4j renders through EGL).")
    boolean glx;

    @Option(names = "--venus", description = "Not supported (virglrenderer 0.10 venus needs unstable APIs).")
    boolean venus;

    @Override
    public Integer call() throws Exception {
        if (glx || venus) {
            throw new IllegalArgumentException((glx ? "--use-glx" : "--venus") + " is not supported by virgl4j");
        }
        VtestServer.checkMaxClients(maxClients); // before the socket exists
        Renderer renderer = Renderer.open(rendererOptions.options());
        CountDownLatch firstGone = new CountDownLatch(1);
        Recordings recordings = record == null ? null : new Recordings(record, renderer, recordLabel);
        VtestServer server = VtestServer.start(socketPath, renderer,
                recordings == null ? null : n -> recordings.next(GpuConfig.defaults()),
                gpu -> {
            printMetrics(gpu);
            firstGone.countDown();
        }, maxProtocolVersion).maxClients(maxClients);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            renderer.close();
        }));
        System.err.printf("virgl4j vtest: listening on %s (%s, %s)%n", server.path(), renderer.info().backend().id(),
                renderer.info().glRenderer());
        if (once) {
            firstGone.await();
            server.close();
            return 0;
        }
        Thread.currentThread().join(); // until killed
        return 0;
    }

    private static void printMetrics(VirtioGpu gpu) {
        DeviceMetrics m = gpu.metrics();
        System.err.printf("virgl4j vtest: %s done: %d commands (%d errors), %d submit bytes, %d transfer bytes, "
                        + "%d fences, render thread %.1f ms%n", gpu.name(), m.commands(), m.errors(), m.submitBytes(),
                m.bytesTransferred(), m.fences(), m.renderNanos() / 1e6);
    }
}
