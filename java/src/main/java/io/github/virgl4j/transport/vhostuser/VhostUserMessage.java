package io.github.virgl4j.transport.vhostuser;

import java.util.List;

/**
 * A decoded front-end request: one record per message this back end understands. Records that
 * carry file descriptors own them: the handler either keeps each one or closes it
 * ({@link #fds()} lists them).
 */
public sealed interface VhostUserMessage {

    /** The request this message came as. */
    VhostUserRequest request();

    /** Descriptors this message owns (empty for most). */
    default int[] fds() {
        return new int[0];
    }

    /** GET_FEATURES: reply with the device's virtio features plus PROTOCOL_FEATURES (bit 30). */
    record GetFeatures() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_FEATURES; }
    }

    /** SET_FEATURES: the features the driver acknowledged. */
    record SetFeatures(long features) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_FEATURES; }
    }

    /** SET_OWNER: session start. */
    record SetOwner() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_OWNER; }
    }

    /** RESET_OWNER (deprecated): treated as "disable all rings". */
    record ResetOwner() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.RESET_OWNER; }
    }

    /** GET_PROTOCOL_FEATURES. */
    record GetProtocolFeatures() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_PROTOCOL_FEATURES; }
    }

    /** SET_PROTOCOL_FEATURES. */
    record SetProtocolFeatures(long features) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_PROTOCOL_FEATURES; }
    }

    /** GET_QUEUE_NUM. */
    record GetQueueNum() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_QUEUE_NUM; }
    }

    /** GET_MAX_MEM_SLOTS. */
    record GetMaxMemSlots() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_MAX_MEM_SLOTS; }
    }

    /** SET_MEM_TABLE: replaces the whole memory table; one fd per region, in order. */
    record SetMemTable(List<MemoryRegionDescription> regions, int[] regionFds) implements VhostUserMessage {
        public SetMemTable {
            regions = List.copyOf(regions);
            regionFds = regionFds.clone();
        }

        public VhostUserRequest request() { return VhostUserRequest.SET_MEM_TABLE; }

        @Override
        public int[] fds() { return regionFds.clone(); }
    }

    /** ADD_MEM_REG: one more region, mapped from {@code fd}. */
    record AddMemReg(MemoryRegionDescription region, int fd) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.ADD_MEM_REG; }

        @Override
        public int[] fds() { return new int[] {fd}; }
    }

    /** REM_MEM_REG: the region with this guest address, user address and size goes. */
    record RemMemReg(MemoryRegionDescription region) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.REM_MEM_REG; }
    }

    /** SET_VRING_NUM: ring size. */
    record SetVringNum(int index, int num) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_VRING_NUM; }
    }

    /** SET_VRING_ADDR. */
    record SetVringAddr(VringAddress address) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_VRING_ADDR; }
    }

    /** SET_VRING_BASE: next available index to read. */
    record SetVringBase(int index, int base) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_VRING_BASE; }
    }

    /** GET_VRING_BASE: stop the ring and report its next available index. */
    record GetVringBase(int index) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_VRING_BASE; }
    }

    /**
     * SET_VRING_KICK / SET_VRING_CALL / SET_VRING_ERR: an eventfd for ring {@code index}, or
     * {@code fd == -1} when the front end set the "no fd" bit (polling).
     */
    record SetVringFd(VhostUserRequest request, int index, int fd) implements VhostUserMessage {
        @Override
        public int[] fds() { return fd < 0 ? new int[0] : new int[] {fd}; }
    }

    /** SET_VRING_ENABLE. */
    record SetVringEnable(int index, boolean enable) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_VRING_ENABLE; }
    }

    /** SET_BACKEND_REQ_FD: the back-end request channel (kept, never used). */
    record SetBackendReqFd(int fd) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.SET_BACKEND_REQ_FD; }

        @Override
        public int[] fds() { return new int[] {fd}; }
    }

    /** GET_CONFIG: {@code size} bytes of config space from {@code offset}. */
    record GetConfig(int offset, int size, int flags) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GET_CONFIG; }
    }

    /** SET_CONFIG: the driver wrote config space. */
    record SetConfig(int offset, int flags, byte[] data) implements VhostUserMessage {
        public SetConfig {
            data = data.clone();
        }

        public VhostUserRequest request() { return VhostUserRequest.SET_CONFIG; }
    }

    /** GPU_SET_SOCKET (33): the vhost-user-gpu display socket. */
    record GpuSetSocket(int fd) implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.GPU_SET_SOCKET; }

        @Override
        public int[] fds() { return new int[] {fd}; }
    }

    /** RESET_DEVICE: disable all rings and reset the device. */
    record ResetDevice() implements VhostUserMessage {
        public VhostUserRequest request() { return VhostUserRequest.RESET_DEVICE; }
    }
}
