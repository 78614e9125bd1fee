package io.github.virgl4j.device;

/**
 * Counters of one device, for a hypervisor that wants to see who uses the GPU.
 *
 * @param commands          requests handled
 * @param errors            requests answered with an error
 * @param bytesTransferred  bytes of pixel/transfer data moved between guest and host
 * @param submitBytes       bytes of virgl command streams submitted
 * @param fences            fenced requests completed
 * @param frames            frames delivered to the display listener
 * @param renderNanos       time this device's work spent on the render thread
 * @param resources         live resources
 * @param contexts          live contexts
 * @param hostMemory        estimated host bytes of live resources
 */
public record DeviceMetrics(long commands, long errors, long bytesTransferred, long submitBytes, long fences,
                            long frames, long renderNanos, int resources, int contexts, long hostMemory) {
}
