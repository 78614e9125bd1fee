package io.github.virgl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.stream.FrameResult;
import io.github.virgl4j.stream.ReplayReport;
import io.github.virgl4j.stream.StreamFormat;
import io.github.virgl4j.stream.StreamFormatException;
import io.github.virgl4j.stream.StreamReplayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code virgl4j replay}: replays recorded command streams and checks their frames. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay recorded guest command streams (.vgs) through a fresh device and print each frame's hash.",
            "A directory argument replays every .vgs file in it. With --check, exit 1 when a frame differs:",
            "bit for bit on the Mesa the stream was recorded with, else beyond --min-psnr against its reference images."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "STREAM", description = "Stream files or directories of them.")
    List<Path> streams;

    @Option(names = "--png", paramLabel = "DIR", description = "Write every replayed frame to DIR/<stream>/frame-NNNNN.png.")
    Path pngDir;

    @Option(names = "--json", description = "Print the reports as JSON (stdout) instead of text.")
    boolean json;

    @Option(names = "--check", description = "Exit 1 when a frame differs, is missing or extra, or a request is answered otherwise than recorded.")
    boolean check;

    @Option(names = "--min-psnr", paramLabel = "DB", defaultValue = "30",
            description = "Tolerance on another Mesa: a differing frame passes at this PSNR or above. Default: ${DEFAULT-VALUE} dB")
    double minPsnr;

    @Mixin
    RendererMixin rendererOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> files = expand(streams);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ReplayReport> reports = new ArrayList<>();
        boolean failed = false;
        // Embedded (Main.run in a JVM that already renders): use that renderer and leave it running.
        java.util.Optional<Renderer> running = Renderer.running();
        Renderer renderer = running.orElseGet(() -> Renderer.open(rendererOptions.options()));
        try {
            for (Path file : files) {
                try {
                    ReplayReport r = replay(file, renderer);
                    reports.add(r);
                    failed |= !r.passed();
                    if (!json) {
                        print(out, r);
                    }
                } catch (StreamFormatException e) {
                    failed = true;
                    err.println("virgl4j replay: " + e.getMessage());
                }
                out.flush();
            }
        } finally {
            if (running.isEmpty()) {
                renderer.close();
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(reports));
        }
        return check && failed ? 1 : 0;
    }

    private ReplayReport replay(Path file, Renderer renderer) throws IOException {
        StreamReplayer.Options options = StreamReplayer.Options.defaults().withPngDir(pngDir).withMinPsnr(minPsnr);
        if (json || System.console() == null) {
            return StreamReplayer.replay(file, renderer, options); // no terminal: no progress bar
        }
        long total = StreamReplayer.manifest(file).counts().records();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(file.getFileName().toString()).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" records", 1).continuousUpdate().build()) {
            return StreamReplayer.replay(file, renderer, options.withProgress(bar::stepTo));
        }
    }

    static List<Path> expand(List<Path> args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> found = s.filter(f -> f.getFileName().toString().endsWith(StreamFormat.EXTENSION))
                            .sorted().toList();
                    if (found.isEmpty()) {
                        throw new IllegalArgumentException(p + " holds no " + StreamFormat.EXTENSION + " streams");
                    }
                    files.addAll(found);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IllegalArgumentException(p + ": no such stream file or directory");
            }
        }
        return files;
    }

    private static void print(PrintWriter out, ReplayReport r) {
        for (FrameResult f : r.frames()) {
            String cmp = f.psnr() == null ? "" : String.format(" psnr %.1f dB, max delta %d", f.psnr(), f.maxChannelDelta());
            out.printf("%s frame %d %s %dx%d %s %s%s%n", r.stream(), f.index(), f.kind().name().toLowerCase(),
                    f.width(), f.height(), f.actualSha256() == null ? "-" : f.actualSha256(), f.status(), cmp);
        }
        for (String m : r.responseMismatches()) {
            out.println(r.stream() + " " + m);
        }
        double s = r.nanos() / 1e9;
        out.printf("%s: %s: %d frames (%d match, %d tolerated, %d different, %d unverified, %d missing, %d extra), "
                        + "%d response mismatches; %d requests, %.1f MB in %.2f s (%.0f commands/s, %.1f MB/s, %.1f frames/s); "
                        + "%s%n",
                r.stream(), r.passed() ? "PASS" : "FAIL", r.frames().size(), r.count(FrameResult.Status.MATCH),
                r.count(FrameResult.Status.TOLERATED), r.count(FrameResult.Status.DIFFERENT),
                r.count(FrameResult.Status.UNVERIFIED), r.count(FrameResult.Status.MISSING),
                r.count(FrameResult.Status.EXTRA), r.responseMismatchCount(), r.requests(), r.bytes() / 1e6, s,
                r.requests() / s, r.bytes() / 1e6 / s, r.frames().size() / s,
                r.exactHost() ? "exact: recorded on this renderer" : "tolerance: recorded on " + r.manifest().recordedOn());
    }
}
