/**
 * Guest physical memory for the device. {@link io.github.virgl4j.device.memory.GuestMemory}
 * is the only way device code touches guest memory; every range is checked whole before use
 * and failures are {@link io.github.virgl4j.device.memory.GuestMemoryException}s.
 */
package io.github.virgl4j.device.memory;
