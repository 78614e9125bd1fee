/**
 * Device side of split virtqueues (virtio spec 1.2 §2.7). Driver mistakes or attacks become
 * {@link io.github.virgl4j.device.virtqueue.VirtqueueException}s and a broken queue, never a
 * hang or an access outside guest memory.
 */
package io.github.virgl4j.device.virtqueue;
