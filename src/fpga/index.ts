// The FPGA handoff: view-model, rendering, atomic writing, running Yosys and
// nextpnr, parsing their reports, and the ACEv2-vs-LUT survey.
export { DEVICES, DEVICE_IDS, DEFAULT_DEVICE } from './devices.ts';
export type { Device, DeviceId } from './devices.ts';
export { FpgaError } from './fpgaError.ts';
export { fpgaViewSchema, checkView, parseDevice, parseFreq } from './viewModel.ts';
export type { FpgaView } from './viewModel.ts';
export { flowCommands } from './commands.ts';
export { renderHandoff } from './render.ts';
export type { RenderedFile } from './render.ts';
export { prepareHandoff, writeHandoff, WRAP_MODES, GENERATED_BY } from './handoff.ts';
export type { HandoffOptions, PreparedHandoff, WrapMode } from './handoff.ts';
export { runFlow, summaryLine, REPORT_FILE } from './runFlow.ts';
export type { FpgaReport } from './runFlow.ts';
export { parseYosysStat, parseNextpnr } from './parseReports.ts';
export type { CellCounts, TimingResult } from './parseReports.ts';
export { requireFpgaTool, installHint, FPGA_TOOLS } from './tools.ts';
export { costPerTransaction } from './inventories.ts';
export { runSurvey, runSurveyPoint, surveyTable, spearman, SURVEY_POINTS } from './survey.ts';
export type { Survey, SurveyPoint, SurveyRow } from './survey.ts';
