package io.github.virgl4j.renderer;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One submitter's queue of render-thread tasks. The render thread serves lanes round-robin, one
 * task per turn, so a device that floods cannot starve another device's work.
 */
final class Lane {
    final String name;
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final AtomicInteger pending = new AtomicInteger();
    final AtomicLong executed = new AtomicLong();
    final AtomicLong renderNanos = new AtomicLong();
    /** Who completes this lane's fence futures. */
    final FenceCompletion fenceCompletion;
    /** This lane's fences not yet completed, oldest first (RenderThread's, render thread only). */
    final ArrayDeque<RenderThread.PendingFence> fenceOrder = new ArrayDeque<>();

    Lane(String name) {
        this(name, FenceCompletion.HELPER_THREAD);
    }

    Lane(String name, FenceCompletion fenceCompletion) {
        this.name = name;
        this.fenceCompletion = fenceCompletion;
    }
}
