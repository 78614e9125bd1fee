package io.github.virgl4j.device;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A guest resource as the device tracks it. Handlers see only these, never raw guest bytes. */
abstract sealed class Resource permits Resource2d, Resource3d, ResourceBlob {
    final int id;
    final long hostBytes;
    /** Guest context ids this resource is attached to. */
    final Set<Integer> contexts = new HashSet<>();
    Backing backing;
    UUID uuid;

    Resource(int id, long hostBytes) {
        this.id = id;
        this.hostBytes = hostBytes;
    }

    abstract int width();

    abstract int height();
}
