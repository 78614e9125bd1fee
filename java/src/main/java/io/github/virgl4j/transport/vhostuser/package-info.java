/**
 * A vhost-user back end for virtio-gpu (QEMU docs/interop/vhost-user.rst and
 * vhost-user-gpu.rst): QEMU's {@code vhost-user-gpu-pci} hands the device's virtqueues and the
 * guest's RAM (as file descriptors) to this process, which serves them with a
 * {@link io.github.virgl4j.device.VirtioGpu} and shows scanouts back to QEMU over the
 * vhost-user-gpu display socket.
 *
 * <p>Layers, one file per concept: the wire ({@link io.github.virgl4j.transport.vhostuser.VhostUserHeader},
 * {@link io.github.virgl4j.transport.vhostuser.VhostUserMessage},
 * {@link io.github.virgl4j.transport.vhostuser.VhostUserDecoder},
 * {@link io.github.virgl4j.transport.vhostuser.VhostUserReplies}), guest memory from fds
 * ({@link io.github.virgl4j.transport.vhostuser.GuestMemoryMap}), rings
 * ({@link io.github.virgl4j.transport.vhostuser.Vring}), the display socket
 * ({@link io.github.virgl4j.transport.vhostuser.GpuDisplaySocket}) and the state machine
 * ({@link io.github.virgl4j.transport.vhostuser.VhostUserGpuBackend}).
 *
 * <p>Everything QEMU sends is untrusted input: sizes are checked before any allocation,
 * descriptor counts are checked and surplus descriptors closed, and every failure is a typed
 * value ({@link io.github.virgl4j.transport.vhostuser.DecodeResult.Rejected}) or a clean end of
 * the session ({@link io.github.virgl4j.transport.vhostuser.SessionEnd}), never a JVM crash.
 * Numbers on the wire are in host byte order (little-endian on x86-64).
 */
package io.github.virgl4j.transport.vhostuser;
