package io.github.virgl4j.renderer;

import io.github.virgl4j.binding.global.virglrenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the JNI library (and through it libvirglrenderer.so.1, libepoxy, libgbm) once, and
 * remembers why it could not. Internal: nothing outside this package touches the binding.
 *
 * <p>{@code -Dvirgl4j.noNative=true} makes the renderer unavailable on purpose (tests of the
 * device's pure-Java 2D path).
 */
final class NativeLibrary {
    private static final Throwable UNAVAILABILITY_CAUSE = load();

    private NativeLibrary() {
    }

    private static Throwable load() {
        if (Boolean.getBoolean("virgl4j.noNative")) {
            return new UnsupportedOperationException("disabled by -Dvirgl4j.noNative=true");
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return new UnsupportedOperationException("virgl4j runs on Linux only");
        }
        try {
            Loader.load(virglrenderer.class);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    static void ensureAvailable() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new RendererUnavailableException(
                    "virglrenderer cannot be loaded: " + UNAVAILABILITY_CAUSE, UNAVAILABILITY_CAUSE);
        }
    }

    /** The path of the libvirglrenderer that the dynamic linker mapped into this process. */
    static String virglLibraryPath() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int at = line.indexOf('/');
                if (at >= 0 && line.contains("libvirglrenderer")) {
                    return Path.of(line.substring(at)).toRealPath().toString();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
