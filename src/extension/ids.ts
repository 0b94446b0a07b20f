// Every command, view and setting id in one place, typed, so a rename fails to compile.
// test/unit/manifest.unit.test.ts checks that package.json contributes exactly these.

export const EXTENSION_ID = 'runbook-debugger.runbook-debugger';

export const Commands = {
  refresh: 'runbookDebugger.refresh',
  openBundledRunbook: 'runbookDebugger.openBundledRunbook',
  openAsRunbook: 'runbookDebugger.openAsRunbook',
  goToSource: 'runbookDebugger.goToSource',
  runDiagnostic: 'runbookDebugger.runDiagnostic',
  runStep: 'runbookDebugger.runStep',
  runCommand: 'runbookDebugger.runCommand',
  runSection: 'runbookDebugger.runSection',
  runRunbook: 'runbookDebugger.runRunbook',
  cancelRun: 'runbookDebugger.cancelRun',
  showOutput: 'runbookDebugger.showOutput',
  showHistoryRun: 'runbookDebugger.showHistoryRun',
  openCapturedProfile: 'runbookDebugger.openCapturedProfile',
  refreshHistory: 'runbookDebugger.refreshHistory',
  setDatabasePassword: 'runbookDebugger.setDatabasePassword',
  addVariable: 'runbookDebugger.addVariable',
  editVariable: 'runbookDebugger.editVariable',
  deleteVariable: 'runbookDebugger.deleteVariable',
  clearVariables: 'runbookDebugger.clearVariables',
  openAsProfile: 'runbookDebugger.openAsProfile',
  showResults: 'runbookDebugger.showResults',
  exportIncidentReport: 'runbookDebugger.exportIncidentReport',
  addRunNote: 'runbookDebugger.addRunNote',
  newRunbook: 'runbookDebugger.newRunbook',
  openSampleProfile: 'runbookDebugger.openSampleProfile',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'runbookDebugger',
  runbooks: 'runbookDebugger.runbooks',
  history: 'runbookDebugger.history',
  variables: 'runbookDebugger.variables',
} as const;

/** View types of the profile viewer (custom editors): the default for profile formats, an option for generic files. */
export const ProfileEditors = {
  main: 'runbookDebugger.profile',
  option: 'runbookDebugger.profileOption',
} as const;

export const Settings = {
  section: 'runbookDebugger',
  runbookGlobs: 'runbookGlobs',
  exclude: 'exclude',
  shell: 'shell',
  confirmWrites: 'confirmWrites',
  databaseUrl: 'databaseUrl',
  timeoutSeconds: 'timeoutSeconds',
} as const;
