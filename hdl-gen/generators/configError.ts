// Moved to hdl-gen/config/ so that hdl-gen/units depends on hdl-gen/generators in one direction
// only (units -> config <- generators -> units); re-exported here for existing importers.
export * from '../config/configError.ts';
