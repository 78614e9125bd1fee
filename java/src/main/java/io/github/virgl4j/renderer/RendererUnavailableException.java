package io.github.virgl4j.renderer;

/**
 * virglrenderer (or the EGL/OpenGL stack under it) cannot be loaded or started on this machine.
 * The message says which Debian packages to install. Callers that can do without 3D (the device's
 * 2D console) catch this and go on without a renderer.
 */
public class RendererUnavailableException extends RuntimeException {
    /** The apt-get line that installs what the renderer needs at run time on Debian/Ubuntu. */
    public static final String INSTALL_HINT =
            "apt-get install -y libvirglrenderer1 libegl1 libegl-mesa0 libopengl0 libgles2 libgl1-mesa-dri libgbm1 libepoxy0";

    public RendererUnavailableException(String message, Throwable cause) {
        super(message + " (on Debian/Ubuntu: " + INSTALL_HINT + ")", cause);
    }
}
