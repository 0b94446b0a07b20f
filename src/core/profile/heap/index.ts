// Public surface of the heap importers, for the CLI, the extension glue and the heap view.
export * from './model';
export { parseHprof, type HprofOptions } from './hprof';
export { parseHeapSnapshot } from './heapsnapshot';
export { analyzeHeap, sniffHeapFormat, sniffHeapBytes, summarizeHeap, type HeapSummary } from './summary';
export { analyzeHeapInWorker, type HeapWorkerOptions } from './heapInWorker';
export { classRetainers, largestDominated } from './retainers';
