package io.github.virgl4j.device.memory;

/**
 * A range of host virtual memory backing guest memory, for handing to native code (iovecs).
 *
 * @param hostAddress native address of the first byte
 * @param length      byte count, positive
 */
public record HostRange(long hostAddress, long length) {
}
