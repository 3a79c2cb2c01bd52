// Writing emitted designs to disk (the only I/O of hdl-gen).
export { writeDesign, writeDesignInto, writeDesignSet, designFiles } from './writeDesign.ts';
export type { Manifest, ManifestFile, WrittenDesign } from './writeDesign.ts';
export { replaceDir } from './replaceDir.ts';
