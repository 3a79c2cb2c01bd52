// The output rules: every command that writes goes through these (see docs/limits.md, "Output rules").
//   writeOutputDir(dir, (w) => { w.file('a.v', text); }, { force })   a folder, replaced atomically
//   writeOutputFile(file, text)                                     a regular file, replaced atomically
//   checkOutputDir / checkOutputFile                                the same checks, before expensive work
// Refusals and filesystem failures are OutputError (one line naming the path; CLI exit 2).
export { writeOutputDir, checkOutputDir } from './writeOutputDir.ts';
export type { DirWriter, OutputOptions } from './writeOutputDir.ts';
export { writeOutputFile, checkOutputFile, sameFile } from './writeOutputFile.ts';
export { OutputError, describeFsError, fsFailure } from './outputError.ts';
export { isPikehdlOutput, hasPikehdlManifest, MANIFEST_NAME, GENERATED_BY_PREFIX } from './ownership.ts';
export { withOutputFs, NODE_OUTPUT_FS } from './outputFs.ts';
export type { OutputFs } from './outputFs.ts';
export { withDirLock, lockIsStale } from './dirLock.ts';
export type { LockOptions } from './dirLock.ts';
export { selfIdentity, identityState, processStartTime, parseIdentity, formatIdentity, selfTag, tagIsDead } from './processIdentity.ts';
export type { ProcessIdentity } from './processIdentity.ts';
