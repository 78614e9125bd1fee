/**
 * virtio-gpu wire protocol (virtio spec 1.2 §5.7; Linux include/uapi/linux/virtio_gpu.h):
 * typed requests ({@link io.github.virgl4j.device.protocol.GpuCommand}), their decoder and
 * encoder, responses ({@link io.github.virgl4j.device.protocol.GpuResponse}) and constants.
 *
 * <p>All wire integers are little-endian. u32 fields are Java {@code int}s holding the raw
 * bits: compare them with {@link java.lang.Integer#compareUnsigned} or widen with
 * {@link java.lang.Integer#toUnsignedLong} before arithmetic. Pure Java, no native code.
 */
package io.github.virgl4j.device.protocol;
