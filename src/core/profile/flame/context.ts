// What every importer gets: the opened source, the builder to write into, and the options.
import type { ProfileFormatId } from '../detect';
import type { FlameUnit } from '../model';
import type { FlameBuilder, FlameLimits } from './builder';
import type { ImportProgress, OpenedSource } from './source';

export interface ImportOptions {
  /** Skip detection and read the content as this format. */
  format?: ProfileFormatId;
  limits?: Partial<FlameLimits>;
  /** Decoded (decompressed) bytes read at most; default 16 GB. Streaming formats need no more memory for bigger files. */
  maxBytes?: number;
  /** Formats that must be parsed whole (speedscope JSON, pprof, flame graph SVG); default 512 MB. */
  maxWholeBytes?: number;
  /** One JSON member or array element parsed whole (a .heapprofile's tree, one trace event); default 256 MB. */
  maxMemberBytes?: number;
  /** JSON files up to this size are parsed whole (faster), larger ones streamed; default 16 MB. */
  wholeJsonBelow?: number;
  /** The unit of collapsed-stack counts, which the format does not say; default samples. */
  unit?: FlameUnit;
  /** pprof: the sample type to import (e.g. "cpu", "alloc_space"); default the file's default. */
  sampleType?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ResolvedOptions {
  maxBytes: number;
  maxWholeBytes: number;
  maxMemberBytes: number;
  wholeJsonBelow: number;
  unit?: FlameUnit | undefined;
  sampleType?: string | undefined;
}

export interface ImportContext {
  readonly source: OpenedSource;
  readonly b: FlameBuilder;
  readonly opts: ResolvedOptions;
}
