package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.CommandTap;
import io.github.virgl4j.device.DisplayListener;
import io.github.virgl4j.device.GpuConfig;
import io.github.virgl4j.renderer.Renderer;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link VhostUserGpuBackend} builds its device.
 *
 * @param name          for logs, threads and the render session
 * @param config        device configuration; its size is replaced by QEMU's display info
 * @param renderer      the shared renderer, or null for a 2D-only device (no VIRGL feature)
 * @param display       an extra listener for frames and cursor events (e.g. a {@link FrameDumper})
 * @param maxMemSlots   answer to GET_MAX_MEM_SLOTS, 1..509
 * @param displayWaitMs how long the first kick waits for QEMU's display info before the device
 *                      is sized from {@code config} instead
 * @param taps          a recording tap for each device built (one per guest driver session: the
 *                      device is rebuilt when QEMU resizes it or the guest resets it), given that
 *                      device's configuration; returns null for none
 */
public record BackendOptions(String name, GpuConfig config, Renderer renderer, DisplayListener display,
                             int maxMemSlots, long displayWaitMs, Function<GpuConfig, CommandTap> taps) {
    public BackendOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(taps, "taps");
        if (maxMemSlots < 1 || maxMemSlots > 509) {
            throw new IllegalArgumentException("maxMemSlots must be 1..509");
        }
        if (displayWaitMs < 0) {
            throw new IllegalArgumentException("displayWaitMs must be >= 0");
        }
    }

    /** Defaults: 1024x768 until QEMU says otherwise, 32 memory slots, 2 s display wait. */
    public static BackendOptions of(Renderer renderer) {
        return new BackendOptions("vhost-user-gpu", GpuConfig.defaults(), renderer, DisplayListener.NONE, 32, 2000,
                c -> null);
    }

    public BackendOptions withDisplay(DisplayListener value) {
        return new BackendOptions(name, config, renderer, value, maxMemSlots, displayWaitMs, taps);
    }

    public BackendOptions withName(String value) {
        return new BackendOptions(value, config, renderer, display, maxMemSlots, displayWaitMs, taps);
    }

    public BackendOptions withDisplayWaitMs(long value) {
        return new BackendOptions(name, config, renderer, display, maxMemSlots, value, taps);
    }

    public BackendOptions withTaps(Function<GpuConfig, CommandTap> value) {
        return new BackendOptions(name, config, renderer, display, maxMemSlots, displayWaitMs, value);
    }
}
