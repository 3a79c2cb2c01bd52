// The serialising wrapper (narrow pins around a wide stream unit), used by
// the FPGA handoff (src/fpga) to place designs whose ports exceed a package.
export { serializer, serializerLayout } from './serializer.ts';
export type { SerializerLayout, SerializerOptions } from './serializer.ts';
