// virgl4j JShell start-up (./virgl4j shell). The API is imported, a renderer is open on
// llvmpipe and a virtio-gpu device `gpu` with 64 MiB of guest RAM is ready. Try:
//   help()                         this list
//   renderClear(1f, 0.2f, 0.6f)    clear a 64x64 target through the renderer, returns the pixel
//   capsets()                      the capsets guests are offered
//   displayInfo()                  GET_DISPLAY_INFO through the device
//   gpu.metrics()                  the device's counters
//   replay("test-streams/glxgears.vgs")   replay a recorded stream, one line per frame
import io.github.virgl4j.renderer.*;
import io.github.virgl4j.stream.*;
import io.github.virgl4j.device.*;
import io.github.virgl4j.device.protocol.*;
import io.github.virgl4j.virgl.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

var renderer = Renderer.open(RendererOptions.llvmpipe());
var session = renderer.openSession("jshell");
var guestRam = GuestRam.allocate(0x1000_0000L, 64 << 20);
var frames = new ArrayList<Frame>();
DisplayListener keepFrames = new DisplayListener() { public void onFrame(Frame f) { frames.add(f); } };
var gpu = VirtioGpu.builder(guestRam).renderer(renderer).name("jshell").display(keepFrames).build();

/** Clears a 64x64 RGBA render target to (r, g, b) and returns its first pixel as "#rrggbbaa". */
String renderClear(float r, float g, float b) throws Exception {
    int ctx = session.createContext(0, "jshell-clear");
    int res = session.createResource(ResourceCreateArgs.texture2d(VirglCommands.FORMAT_R8G8B8A8_UNORM, 64, 64));
    try {
        session.attachToContext(ctx, res);
        session.submit(ctx, new VirglCommands().createSurface(1, res, VirglCommands.FORMAT_R8G8B8A8_UNORM)
                .setFramebuffer(1).clearColor(r, g, b, 1f).build());
        session.fence(ctx).get();
        ByteBuffer px = ByteBuffer.allocateDirect(64 * 64 * 4);
        session.read(res, ctx, 0, 0, Box.of2d(0, 0, 64, 64), px);
        return String.format("#%08x", px.getInt(0));
    } finally {
        session.unrefResource(res);
        session.destroyContext(ctx);
    }
}

void capsets() {
    renderer.info().capsets().forEach(c -> System.out.println("capset " + c.id() + ": version " + c.maxVersion() + ", " + c.maxSize() + " bytes"));
}

GpuResponse displayInfo() {
    return GpuResponse.decode(gpu.handle(GpuCommandEncoder.encode(new GpuCommand.GetDisplayInfo(CtrlHeader.EMPTY))));
}

/** Replays a recorded stream through a fresh device and prints each frame's hash and status. */
boolean replay(String file) throws Exception {
    ReplayReport r = StreamReplayer.replay(Path.of(file), renderer, StreamReplayer.Options.defaults());
    r.frames().forEach(f -> System.out.println("frame " + f.index() + " " + f.kind() + " " + f.width() + "x"
            + f.height() + " " + f.actualSha256() + " " + f.status()));
    System.out.println(r.requests() + " requests, " + r.frames().size() + " frames, "
            + r.responseMismatchCount() + " response mismatches: " + (r.passed() ? "PASS" : "FAIL"));
    return r.passed();
}

void help() {
    System.out.println("""
        virgl4j shell: renderer, session, gpu, guestRam, frames are defined.
          renderClear(1f, 0.2f, 0.6f)  clear a 64x64 target, returns "#rrggbbaa"
          capsets()                    capsets offered to guests
          displayInfo()                GET_DISPLAY_INFO through the device
          gpu.metrics()                device counters
          replay("test-streams/glxgears.vgs")  replay a recorded stream, frame by frame
          renderer.info()              backend, GL strings, capsets""");
}

System.out.println("virgl4j: renderer open on " + renderer.info().glRenderer() + "; type help()");
