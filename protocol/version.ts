// The wire protocol version carried by the first frame of every room connection and by the agent's hello.
// Bump only for incompatible changes; evolve by adding optional fields.
export const PROTOCOL_VERSION = 1;
