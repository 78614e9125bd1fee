package io.github.virgl4j.device;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The blobs a device has mapped into its {@link HostVisibleRegion}, by offset. Thread-safe: the
 * render session's close hook empties it even when the renderer is closed under a live device,
 * so the guest never keeps a window onto memory virglrenderer has freed.
 */
final class HostMappings {
    private static final Logger LOG = Logger.getLogger(HostMappings.class.getName());

    final HostVisibleRegion region;
    private final Map<Long, Long> live = new HashMap<>();

    HostMappings(HostVisibleRegion region) {
        this.region = region;
    }

    synchronized boolean map(long offset, long hostAddress, long length) {
        boolean ok = false;
        try {
            ok = region.map(offset, hostAddress, length);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "host-visible region failed to map", e);
        }
        if (ok) {
            live.put(offset, length);
        }
        return ok;
    }

    /** Removes the mapping at offset, if it is still there. */
    synchronized void unmap(long offset) {
        Long length = live.remove(offset);
        if (length != null) {
            unmapQuietly(offset, length);
        }
    }

    synchronized void unmapAll() {
        live.forEach(this::unmapQuietly);
        live.clear();
    }

    private void unmapQuietly(long offset, long length) {
        try {
            region.unmap(offset, length);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "host-visible region failed to unmap", e);
        }
    }
}
