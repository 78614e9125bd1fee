package io.github.virgl4j.device;

import io.github.virgl4j.device.memory.GuestMemory;
import io.github.virgl4j.device.protocol.Rect;
import io.github.virgl4j.renderer.CapsetInfo;
import io.github.virgl4j.renderer.RenderSession;
import io.github.virgl4j.virgl.TranslationException;
import io.github.virgl4j.virgl.VirglStreamTranslator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one device knows about its guest: resources, contexts, scanouts, cursor, counters.
 * Owned by {@link VirtioGpu} and touched only under its lock.
 */
final class DeviceState {
    /** A scanout shows rect of a resource; resourceId 0 when disabled. */
    static final class Scanout {
        int resourceId;
        Rect rect = new Rect(0, 0, 0, 0);
        /** Set by SET_SCANOUT_BLOB, null after SET_SCANOUT. */
        BlobFramebuffer blob;
    }

    final GpuConfig config;
    final GuestMemory memory;
    final Optional<RenderSession> session;
    final DisplayListener display;
    /** Recording hook, or null. */
    CommandTap tap;
    /** Where MAP_BLOB maps blobs, or null when the hypervisor gave no region. */
    HostMappings hostVisible;
    final List<CapsetInfo> capsets;
    final Map<Integer, Resource> resources = new HashMap<>();
    /** Guest context id to renderer context id. */
    final Map<Integer, Integer> contexts = new HashMap<>();
    final Scanout[] scanouts;
    long hostMemory;
    /** A fence the current command already created (fenced SUBMIT_3D), or null. */
    java.util.concurrent.CompletableFuture<Void> pendingFence;
    /** Some resource's renderer handle differs from its guest id: streams must be rewritten. */
    boolean translating;
    long frameSequence;

    long commands;
    long errors;
    long bytesTransferred;
    long submitBytes;
    /** Incremented from fence futures' dependents, without the device lock. */
    final java.util.concurrent.atomic.AtomicLong fences = new java.util.concurrent.atomic.AtomicLong();
    long frames;

    DeviceState(GpuConfig config, GuestMemory memory, Optional<RenderSession> session, DisplayListener display) {
        this.config = config;
        this.memory = memory;
        this.session = session;
        this.display = display;
        this.capsets = session.map(s -> s.info().capsets()).orElse(List.of());
        this.scanouts = new Scanout[config.scanouts()];
        for (int i = 0; i < scanouts.length; i++) {
            scanouts[i] = new Scanout();
        }
    }

    /** Tells the tap which backing bytes [offset, end) the current command reads. */
    void tapBackingRead(Resource r, long offset, long end) {
        if (tap != null && end > offset) {
            byte[] bytes = new byte[Math.toIntExact(end - offset)];
            if (r.backing.read(offset, bytes, 0, bytes.length)) {
                tap.backingRead(r.id, offset, java.nio.ByteBuffer.wrap(bytes));
            }
        }
    }

    /**
     * Copies backing bytes [offset, end) into a direct buffer once, tells the tap they are read
     * and returns the copy, for the renderer to read instead of the live guest memory.
     */
    java.nio.ByteBuffer tapBackingCopy(Resource r, long offset, long end) {
        byte[] bytes = new byte[Math.toIntExact(end - offset)];
        if (!r.backing.read(offset, bytes, 0, bytes.length)) {
            throw GpuError.parameter("transfer reads past the end of the backing");
        }
        tap.backingRead(r.id, offset, java.nio.ByteBuffer.wrap(bytes));
        return java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    /** Tells the tap which backing bytes [offset, end) the current command wrote. */
    void tapBackingWritten(Resource r, long offset, long end) {
        if (tap != null && end > offset) {
            byte[] bytes = new byte[Math.toIntExact(end - offset)];
            if (r.backing.read(offset, bytes, 0, bytes.length)) {
                tap.backingWritten(r.id, offset, java.nio.ByteBuffer.wrap(bytes));
            }
        }
    }

    /**
     * Rewrites the resource handles in a guest's virgl command stream to renderer handles.
     * A handle the guest does not own, or a command that cannot be vouched for, rejects it.
     */
    java.nio.ByteBuffer translateStream(java.nio.ByteBuffer stream) {
        try {
            return VirglStreamTranslator.translate(stream, guestId -> {
                Resource r = resources.get(guestId);
                return r instanceof Resource3d r3 ? r3.handle : -1;
            });
        } catch (TranslationException e) {
            if (e.reason() == TranslationException.Reason.UNKNOWN_RESOURCE) {
                throw GpuError.resource(e.getMessage());
            }
            throw GpuError.parameter(e.getMessage());
        }
    }

    RenderSession renderer() {
        return session.orElseThrow(() -> GpuError.unspec("3D commands need virglrenderer, which is not available"));
    }

    Resource resource(int id) {
        Resource r = resources.get(id);
        if (r == null) {
            throw GpuError.resource("unknown resource " + Integer.toUnsignedString(id));
        }
        return r;
    }

    Resource3d resource3d(int id) {
        if (resource(id) instanceof Resource3d r) {
            return r;
        }
        throw GpuError.resource("resource " + id + " is a 2D resource, not a renderer resource");
    }

    int rendererContext(int guestCtx) {
        Integer ctx = contexts.get(guestCtx);
        if (ctx == null) {
            throw GpuError.context("unknown context " + Integer.toUnsignedString(guestCtx));
        }
        return ctx;
    }

    Scanout scanout(int id) {
        if (id < 0 || id >= scanouts.length) {
            throw GpuError.scanout("no scanout " + Integer.toUnsignedString(id));
        }
        return scanouts[id];
    }

    /** Checks the per-guest resource limits for a new resource of hostBytes. */
    void reserve(long hostBytes) {
        GpuLimits l = config.limits();
        if (resources.size() >= l.maxResources()) {
            throw GpuError.outOfMemory("resource limit " + l.maxResources() + " reached");
        }
        if (hostBytes < 0 || hostBytes > l.maxHostMemory() - hostMemory) {
            throw GpuError.outOfMemory("resource of " + hostBytes + " bytes exceeds the memory limit");
        }
    }

    void add(Resource r) {
        if (r.id == 0 || resources.containsKey(r.id)) {
            throw GpuError.resource("resource id " + Integer.toUnsignedString(r.id) + " is 0 or in use");
        }
        resources.put(r.id, r);
        hostMemory += r.hostBytes;
    }

    void remove(Resource r) {
        resources.remove(r.id);
        hostMemory -= r.hostBytes;
    }

    /** Whether rect lies inside a w×h surface (fields are unsigned on the wire; no overflow). */
    static boolean inside(Rect r, int w, int h) {
        long x = Integer.toUnsignedLong(r.x());
        long y = Integer.toUnsignedLong(r.y());
        long rw = Integer.toUnsignedLong(r.w());
        long rh = Integer.toUnsignedLong(r.h());
        return x + rw <= w && y + rh <= h;
    }
}
