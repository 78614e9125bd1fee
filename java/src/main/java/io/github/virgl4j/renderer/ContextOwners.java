package io.github.virgl4j.renderer;

import java.util.HashMap;
import java.util.Map;

/**
 * Which session owns each live renderer context (render thread only). vrend (0.10.4) allocates,
 * maps and unmaps resources in whatever GL context happens to be current, which is the context
 * that submitted last: creating a texture leaves texture unit bindings of that context changed,
 * and its next draw samples the wrong texture when its own sampler views are unchanged. Within one
 * guest that is vrend's own behaviour (QEMU shows it too); across sessions it would let one guest
 * (even one with no context of its own) change what another renders, so
 * {@link #othersThan(Object)} tells NativeVirgl when to move that work to vrend's context 0 first.
 */
final class ContextOwners {
    private final Map<Integer, Object> ownerOf = new HashMap<>();
    private final Map<Object, Integer> contextsOf = new HashMap<>();

    void created(int ctxId, Object owner) {
        if (ownerOf.putIfAbsent(ctxId, owner) == null) {
            contextsOf.merge(owner, 1, Integer::sum);
        }
    }

    void destroyed(int ctxId) {
        Object owner = ownerOf.remove(ctxId);
        if (owner != null) {
            contextsOf.computeIfPresent(owner, (o, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Whether a live context belongs to another owner than caller (a session with none counts too). */
    boolean othersThan(Object caller) {
        return contextsOf.size() > (contextsOf.containsKey(caller) ? 1 : 0);
    }
}
