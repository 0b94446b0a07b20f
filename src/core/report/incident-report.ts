// Entry point: history records (and what gather.ts found on disk) to an incident report in
// Markdown. Pure: the same records and options always give the same text.
import type { HistoryRecord } from '../run/history';
import { renderReportMarkdown, type RenderOptions } from './markdown';
import { buildReportModel, type ReportOptions } from './model';

export type IncidentReportOptions = ReportOptions & RenderOptions;

export function buildIncidentReport(
  records: readonly HistoryRecord[],
  options: IncidentReportOptions = {},
): string {
  return renderReportMarkdown(buildReportModel(records, options), options);
}
