package io.github.virgl4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.virgl4j.renderer.CapsetInfo;
import io.github.virgl4j.renderer.Renderer;
import io.github.virgl4j.renderer.RendererInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code virgl4j info [--json]}: starts the renderer and says what it chose. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Start the renderer and print the backend, GL strings and capsets it offers.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    RendererMixin renderer;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Renderer r = Renderer.open(renderer.options())) {
            RendererInfo info = r.info();
            if (json) {
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(toJson(info)));
            } else {
                System.out.printf("backend:        %s%n", info.backend().id());
                System.out.printf("GL vendor:      %s%n", info.glVendor());
                System.out.printf("GL renderer:    %s%n", info.glRenderer());
                System.out.printf("GL version:     %s%n", info.glVersion());
                System.out.printf("guests see:     virgl (%s)%n", info.guestRenderer());
                for (CapsetInfo c : info.capsets()) {
                    System.out.printf("capset %d:       max version %d, %d bytes%n", c.id(), c.maxVersion(), c.maxSize());
                }
                System.out.printf("library:        %s%n", info.libraryPath());
            }
            return 0;
        }
    }

    static Map<String, Object> toJson(RendererInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", info.backend().id());
        m.put("gles", info.gles());
        m.put("glVendor", info.glVendor());
        m.put("glRenderer", info.glRenderer());
        m.put("glVersion", info.glVersion());
        m.put("guestRenderer", info.guestRenderer());
        List<Map<String, Object>> capsets = info.capsets().stream().map(c -> {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("maxVersion", c.maxVersion());
            cm.put("size", c.maxSize());
            return cm;
        }).toList();
        m.put("capsets", capsets);
        m.put("libraryPath", info.libraryPath());
        m.put("renderNode", info.renderNode());
        m.put("initFlags", info.initFlags());
        return m;
    }
}
