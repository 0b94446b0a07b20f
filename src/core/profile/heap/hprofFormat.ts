// Constants of the HPROF binary format (JDK's "JAVA PROFILE 1.0.x" heap dump), and the object layouts
// used to turn dump records into in-heap sizes.

export const TOP_TAG_NAMES: Record<number, string> = {
  0x01: 'UTF8',
  0x02: 'LOAD_CLASS',
  0x03: 'UNLOAD_CLASS',
  0x04: 'STACK_FRAME',
  0x05: 'STACK_TRACE',
  0x06: 'ALLOC_SITES',
  0x07: 'HEAP_SUMMARY',
  0x0a: 'START_THREAD',
  0x0b: 'END_THREAD',
  0x0c: 'HEAP_DUMP',
  0x0d: 'CPU_SAMPLES',
  0x0e: 'CONTROL_SETTINGS',
  0x1c: 'HEAP_DUMP_SEGMENT',
  0x2c: 'HEAP_DUMP_END',
};

export const TAG_UTF8 = 0x01;
export const TAG_LOAD_CLASS = 0x02;
export const TAG_HEAP_DUMP = 0x0c;
export const TAG_HEAP_DUMP_SEGMENT = 0x1c;

export const SUB_CLASS_DUMP = 0x20;
export const SUB_INSTANCE_DUMP = 0x21;
export const SUB_OBJ_ARRAY_DUMP = 0x22;
export const SUB_PRIM_ARRAY_DUMP = 0x23;
/** Android's primitive array without contents. */
export const SUB_PRIM_ARRAY_NODATA = 0xc3;
/** Android's heap-region marker (app / image / zygote heap). */
export const SUB_HEAP_DUMP_INFO = 0xfe;

/**
 * GC-root sub-records: tag -> bytes after the root's object id, given the id size.
 * 0x89-0x8e and 0x90 are Android's additions (interned string, finalizing, debugger, reference
 * cleanup, VM internal, JNI monitor, unreachable).
 */
export function rootTrailingBytes(tag: number, idSize: number): number {
  switch (tag) {
    case 0xff: // ROOT_UNKNOWN
    case 0x05: // ROOT_STICKY_CLASS
    case 0x07: // ROOT_MONITOR_USED
    case 0x89:
    case 0x8a:
    case 0x8b:
    case 0x8c:
    case 0x8d:
    case 0x90:
      return 0;
    case 0x01: // ROOT_JNI_GLOBAL: + JNI global ref id
      return idSize;
    case 0x02: // ROOT_JNI_LOCAL: + thread serial, frame number
    case 0x03: // ROOT_JAVA_FRAME
    case 0x08: // ROOT_THREAD_OBJECT: + thread serial, stack trace serial
    case 0x8e:
      return 8;
    case 0x04: // ROOT_NATIVE_STACK: + thread serial
    case 0x06: // ROOT_THREAD_BLOCK
      return 4;
    default:
      return -1;
  }
}

export const T_OBJECT = 2;
/** Size in the dump of a basic type (objects: the id size), or 0 for an invalid type code. */
export function basicTypeSize(type: number, idSize: number): number {
  switch (type) {
    case 2:
      return idSize;
    case 4: // boolean
    case 8: // byte
      return 1;
    case 5: // char
    case 9: // short
      return 2;
    case 6: // float
    case 10: // int
      return 4;
    case 7: // double
    case 11: // long
      return 8;
    default:
      return 0;
  }
}

export const PRIM_ARRAY_NAMES: Record<number, string> = {
  4: 'boolean[]',
  5: 'char[]',
  6: 'float[]',
  7: 'double[]',
  8: 'byte[]',
  9: 'short[]',
  10: 'int[]',
  11: 'long[]',
};

/**
 * How a HotSpot JVM lays objects out in memory. The dump stores every reference as a full id, so the
 * in-heap size depends on whether the JVM compressed its references, which the dump does not say.
 */
export interface ObjectLayout {
  name: string;
  /** Object header: mark word + class pointer. */
  header: number;
  /** Bytes per reference field / array element. */
  ref: number;
  /** Array header: mark word + class pointer + length, padded. */
  arrayHeader: number;
  /** Object alignment (HotSpot's ObjectAlignmentInBytes, 8 by default). */
  align: number;
}

export const LAYOUT_32BIT: ObjectLayout = { name: '32-bit', header: 8, ref: 4, arrayHeader: 12, align: 8 };
export const LAYOUT_COMPRESSED: ObjectLayout = {
  name: '64-bit, compressed oops',
  header: 12,
  ref: 4,
  arrayHeader: 16,
  align: 8,
};
export const LAYOUT_UNCOMPRESSED: ObjectLayout = {
  name: '64-bit, uncompressed oops',
  header: 16,
  ref: 8,
  arrayHeader: 24,
  align: 8,
};

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Readable Java name of a class name as the dump spells it ("java/lang/String", "[[I", "[Ljava/lang/Object;"). */
export function javaClassName(internal: string): string {
  let dims = 0;
  while (internal[dims] === '[') dims++;
  let base = internal.slice(dims);
  if (dims > 0) {
    const prim: Record<string, string> = {
      Z: 'boolean',
      C: 'char',
      F: 'float',
      D: 'double',
      B: 'byte',
      S: 'short',
      I: 'int',
      J: 'long',
    };
    if (base.startsWith('L') && base.endsWith(';')) base = base.slice(1, -1);
    else base = prim[base] ?? base;
  }
  // Hidden classes (lambdas) are "pkg/Outer$$Lambda$12+0x0000..." in the dump; Class.getName() and jmap
  // spell the suffix "/0x0000...".
  return base.replace(/\//g, '.').replace(/\+(0x[0-9a-f]+)$/, '/$1') + '[]'.repeat(dims);
}
