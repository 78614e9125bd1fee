package io.github.virgl4j.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP presets for the system {@code virglrenderer.h} plus virgl4j's own helpers
 * ({@code native/include}). The Java sources are generated at build time into
 * {@code target/generated-sources/javacpp} (package {@code io.github.virgl4j.binding}) and never
 * committed; every mapping decision lives in {@link #map(InfoMap)}.
 *
 * <p>Only {@code io.github.virgl4j.renderer} may call the generated class: virglrenderer must be
 * called from the one thread that initialised it.
 */
@Properties(
        target = "io.github.virgl4j.binding",
        global = "io.github.virgl4j.binding.global.virglrenderer",
        value = @Platform(
                value = "linux-x86_64",
                // Seen only by the C++ compiler, not by the parser: see virgl4j_types.h.
                define = {"VIRGL4J_JNI_COMPILE 1"},
                // virglrenderer.h has no extern "C": cinclude wraps it, or JNI would link to
                // C++-mangled names and fail only at load time.
                cinclude = {"virgl4j_types.h", "virglrenderer.h", "virgl4j_native.h", "virgl4j_fences.h"},
                link = {"virglrenderer@.1", "epoxy@.0", "gbm@.1"}))
public class virglrenderer implements InfoMapper {
    static {
        // Loader.checkVersion is for bytedeco's own artifacts; ours is versioned by the pom.
    }

    @Override
    public void map(InfoMap infoMap) {
        infoMap.put(new Info("VIRGL_EXPORT").cppTypes().annotations())
                // Unstable APIs change between releases and do not compile against 0.10.4
                // when enabled; we stay on the stable surface.
                .put(new Info("VIRGL_RENDERER_UNSTABLE_APIS").define(false))
                .put(new Info("VIRGL4J_JNI_COMPILE").define(false))
                .put(new Info("VIRGL4J_TYPES_H", "VIRGL4J_NATIVE_H", "VIRGL4J_FENCES_H", "VIRGLRENDERER_H").cppTypes())
                // Per-context fences are looked up at run time (virgl4j_fences.h); only the
                // wrappers are bound.
                .put(new Info("v4j_context_create_fence_fn", "v4j_context_create_fence_ptr").skip())
                // va_list cannot cross JNI: virgl4j_native.h formats log lines for Java instead.
                .put(new Info("virgl_set_debug_callback", "virgl_debug_callback_type",
                        "v4j_log_trampoline", "v4j_fill_sockaddr", "v4j_sendmsg_fds").skip())
                .put(new Info("virgl_renderer_gl_context").cast().valueTypes("Pointer"))
                .put(new Info("v4j_current_log_sink").skip())
                // Only its address is used, set natively (v4j_callbacks_store_fence).
                .put(new Info("v4j_store_fence").skip());
    }
}
