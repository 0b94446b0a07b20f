// Line-by-line reading of text profiles from byte chunks: one chunk decoded at a time, so a 1 GB
// collapsed-stack file never becomes one string. The callback is synchronous (no promise per line).
import { StringDecoder } from 'node:string_decoder';
import { ProfileError, formatBytes } from './errors';

const MAX_LINE = 64 * 1024 * 1024;

/** Calls onLine(line, lineNumber) for each line (without its "\n" or "\r\n"), the last one included. */
export async function forEachLine(
  chunks: AsyncIterable<Buffer>,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  const emit = (text: string, from: number, to: number): void => {
    if (to > from && text.charCodeAt(to - 1) === 13) to--;
    onLine(from === 0 && to === text.length ? text : text.slice(from, to), ++lineNo);
  };
  for await (const chunk of chunks) {
    const text = carry ? carry + decoder.write(chunk) : decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      emit(text, from, nl);
      from = nl + 1;
    }
    carry = from === 0 ? text : text.slice(from);
    if (carry.length > MAX_LINE)
      throw new ProfileError(
        'invalid',
        `line ${lineNo + 1} is longer than ${formatBytes(MAX_LINE)}: this is not a line-oriented text profile`,
      );
  }
  const rest = carry + decoder.end();
  if (rest.length) emit(rest, 0, rest.length);
}
